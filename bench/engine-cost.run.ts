/**
 * The engine's cost table of `npm run bench` alone (a minute instead of the whole bench), for comparing
 * trees in the same conditions:
 *
 *     node --import tsx bench/engine-cost.run.ts
 */
import { printEngineCost } from './engine-cost.js';

printEngineCost();
