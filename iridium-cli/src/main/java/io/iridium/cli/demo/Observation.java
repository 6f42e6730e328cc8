package io.iridium.cli.demo;

import io.iridium.MembershipEvent;

/**
 * A membership event as one demo node saw it, with the monotonic time it arrived.
 *
 * @param observer the node whose listener received the event
 * @param event    what it saw
 * @param atNanos  {@link System#nanoTime()} on arrival
 */
record Observation(DemoNode observer, MembershipEvent event, long atNanos) {}
