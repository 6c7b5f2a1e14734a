/**
 * @file The memory layout (in bytes) of the `math.wat` module: its tables, the constant pool and
 * the two scratch operands.
 */

/** 2^(j/128) for j < 128 as (hi, lo) pairs of doubles. */
export const EXP_TABLE = 0;
export const EXP_BITS = 7;
export const EXP_N = 1 << EXP_BITS;

/** The log table of pow: 128 intervals of m (the bits of m minus those of √½, 7 bits below the exponent). */
export const LOG_TABLE = EXP_TABLE + EXP_N * 16;
const LOG_BITS = 7;
export const LOG_N = 1 << LOG_BITS;

/**
 * Where the per-lane polynomial coefficients live (after pow's log table, before the constant
 * pool): 4 rows of 128 bytes, row m (bit i set when lane i takes cos) holding in slot k the
 * two-lane vector (lane i: Q's kᵗʰ coefficient if bit i is set, else P's), Q padded with 0.
 */
export const TRIG_TABLE = 6144;

/** The two-lane constants (`constPool`), after the exp table and pow's log table (which end at 6144). */
export const CONST_TABLE = 8192;

/** Where tanh's table lives: after the constant pool (which must end before it), before sin and cos's. */
export const TANH_TABLE = 32768;

/** Where sin and cos's table lives (after tanh's). */
export const SIN_TABLE = 43008;

/** Where the first streamed operand (and every result) lives. */
export const SCRATCH_A = 65536;
/** Elements per chunk: 16 KiB per operand, so the two operands and the tables stay in L1. */
export const CHUNK = 2048;
/** Where the second operand of pow and dot lives. */
export const SCRATCH_B = SCRATCH_A + CHUNK * 8;
export const PAGES = 2;
