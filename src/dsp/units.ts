/**
 * Units carried in signatures. They are plain numbers at run time; the names say what a number means.
 * @packageDocumentation
 */

/** A frequency in hertz. */
export type Hertz = number;
/** A duration in seconds. */
export type Seconds = number;
/** A level or level ratio in decibels. */
export type Decibels = number;
/** A count of samples (one channel). */
export type Samples = number;
