package dev.zkspark.pcs;

/**
 * A tensor's place in a stacked polynomial: entries [offset, offset + 2^numVars) of the big
 * evaluation table, offset a multiple of 2^numVars (aligned), so the tensor's extension at p is the
 * big polynomial's at (p, offset's high bits).
 */
public record Region(String name, int numVars, long offset) {}
