/** `npm run bench:cli`: only the command-line upmixer's table of `npm run bench`. */
import { printCliSpeed } from './cli-speed.js';

await printCliSpeed();
