/**
 * {@code iridium demo}: a guided tour that runs several real nodes in one process, over real
 * loopback sockets, and narrates what they do.
 *
 * <p>The tour is a list of {@link io.iridium.cli.demo.DemoAct acts} played in order on one
 * {@link io.iridium.cli.demo.DemoNetwork}: each act explains what is about to happen, makes it
 * happen, watches the nodes (membership events, routes, replies) until its goal is met or its
 * deadline passes, and fails the demo with a clear message when the deadline passes first. New
 * capabilities add acts: after membership come messaging acts on a cluster of three
 * ({@code databases}): requests, a broadcast, a wildcard subscription, a tunnel, and a crash under
 * load whose every request is accounted for.
 */
package io.iridium.cli.demo;
