/** @file Gaussian process regression notebook (being written by the fluid/GP helper) */
