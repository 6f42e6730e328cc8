/**
 * The narrow environment that sans-I/O protocol cores run in: a clock, a random source and an
 * outbox. The runtime and the simulator each implement it, so the same core classes run in both.
 */
package io.iridium.env;
