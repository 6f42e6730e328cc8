/**
 * The HTTP admin API of a node: {@code GET /status} (the membership and the routing registry — clusters with their members,
 * topic patterns with their subscribers — as JSON, see
 * {@link io.iridium.cli.admin.StatusDocument}) and {@code GET /metrics} (Prometheus text), served
 * by {@link io.iridium.cli.admin.AdminServer} on the JDK's built-in HTTP server.
 */
package io.iridium.cli.admin;
