package io.iridium.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iridium.IridiumException;
import io.iridium.Member;
import io.iridium.ServiceHandler;
import io.iridium.ServiceLimits;
import io.iridium.TopicLimits;
import io.iridium.wire.BodySlab;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The messaging patterns between real nodes over loopback TLS: requests with load balancing and
 * every typed failure, broadcasts, publish/subscribe with wildcards, limits, and FIFO order.
 */
class MessagingTest {
    static final Duration WAIT = LocalNetwork.WAIT;

    final LocalNetwork local = new LocalNetwork();

    @AfterEach
    void stopAll() {
        local.close();
    }

    List<NodeRuntime> network(int size) {
        return local.startNetwork("m", size);
    }

    static void awaitServers(List<NodeRuntime> network, String cluster, int count) {
        LocalNetwork.awaitServers(network, cluster, count);
    }

    static void awaitSubscribers(List<NodeRuntime> network, String subject, int count) {
        LocalNetwork.awaitSubscribers(network, subject, count);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void request_isLoadBalancedAcrossMembers_andAnswered() {
        List<NodeRuntime> network = network(4);
        Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
        for (NodeRuntime member : network.subList(1, 4)) {
            String name = member.self().name();
            member.register("databases", new ServiceHandler() {
                @Override
                public byte[] handleRequest(byte[] request) {
                    served.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
                    return bytes(name + ":" + text(request));
                }
            });
        }
        awaitServers(network, "databases", 3);
        NodeRuntime client = network.get(0);
        List<Thread> clients = new ArrayList<>();
        AtomicInteger answered = new AtomicInteger();
        for (int c = 0; c < 16; c++) {
            int client_ = c;
            clients.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 40; i++) {
                    String question = "q" + client_ + "-" + i;
                    String reply = text(client.request("databases", bytes(question), Duration.ofSeconds(10)));
                    assertThat(reply).endsWith(":" + question);
                    answered.incrementAndGet();
                }
            }));
        }
        for (Thread thread : clients) {
            try {
                thread.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        assertThat(answered.get()).isEqualTo(640);
        assertThat(served).hasSize(3);
        served.values().forEach(count -> assertThat(count.get()).as("each member gets a share of " + served).isGreaterThan(64));
    }

    @Test
    void servers_listsTheLiveMembersOfACluster_andARequestCanAddressOneOfThem() throws Exception {
        List<NodeRuntime> network = network(3);
        for (NodeRuntime member : network.subList(1, 3)) {
            String name = member.self().name();
            member.register("replicas", new ServiceHandler() {
                @Override
                public byte[] handleRequest(byte[] request) {
                    return bytes(name);
                }
            });
        }
        awaitServers(network, "replicas", 2);
        NodeRuntime client = network.get(0);
        assertThat(client.servers("replicas")).extracting(Member::id)
                .containsExactlyInAnyOrder(network.get(1).id(), network.get(2).id());
        assertThat(client.servers("nobody")).isEmpty();
        for (int i = 0; i < 10; i++) {
            NodeRuntime chosen = network.get(1 + i % 2);
            byte[] reply = client.requestAsync("replicas", chosen.id(), bytes("who"), WAIT).get();
            assertThat(text(reply)).isEqualTo(chosen.self().name());
        }
        assertThat(client.requestAsync("replicas", client.id(), bytes("who"), WAIT))
                .failsWithin(WAIT)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(IridiumException.NoMembers.class);
    }

    @Test
    void handler_seesTheTimeLeftBeforeTheRequestersDeadline() {
        List<NodeRuntime> network = network(2);
        network.get(1).register("timed", new ServiceHandler() {
            @Override
            public byte[] handleRequest(byte[] request, Duration remaining) {
                return bytes(Long.toString(remaining.toMillis()));
            }
        });
        awaitServers(network, "timed", 1);
        long remaining = Long.parseLong(text(network.get(0).request("timed", bytes("x"), Duration.ofSeconds(7))));
        assertThat(remaining).isBetween(1L, 7_000L).isGreaterThan(5_000L);
    }

    @Test
    void asyncHandler_answersFromAnotherThread_withoutHoldingAHandlerThread_andItsFailureIsARemoteError() throws Exception {
        List<NodeRuntime> network = network(2);
        List<CompletableFuture<byte[]>> parked = new CopyOnWriteArrayList<>();
        network.get(1).register("later", new ServiceHandler() {
            @Override
            public CompletionStage<byte[]> handleRequestAsync(byte[] request, Duration remaining) {
                CompletableFuture<byte[]> reply = new CompletableFuture<>();
                parked.add(reply);
                return reply;
            }
        }, new ServiceLimits(1, ServiceLimits.DEFAULT.requestMemoryBytes(), ServiceLimits.DEFAULT.broadcastConcurrency(),
                ServiceLimits.DEFAULT.broadcastMemoryBytes()));
        awaitServers(network, "later", 1);
        NodeRuntime client = network.get(0);
        // with one handler thread, a second request is still taken while the first waits
        CompletableFuture<byte[]> first = client.requestAsync("later", bytes("a"), Duration.ofSeconds(10));
        CompletableFuture<byte[]> second = client.requestAsync("later", bytes("b"), Duration.ofSeconds(10));
        Eventually.await(WAIT, "both requests handed to the handler", () -> parked.size() == 2);
        Thread.ofPlatform().start(() -> parked.get(1).complete(bytes("second"))).join();
        assertThat(text(second.get(10, TimeUnit.SECONDS))).isEqualTo("second");
        assertThat(first).isNotDone();
        parked.get(0).completeExceptionally(new IllegalStateException("gave up"));
        assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IridiumException.Remote.class)
                .hasMessageContaining("gave up");
    }

    @Test
    void nonBlockingHandler_runsOnTheDeliveringThread_remotelyAndLocally_andItsMemoryLimitStillHolds() throws Exception {
        List<NodeRuntime> network = network(2);
        List<Thread> callers = new CopyOnWriteArrayList<>();
        List<CompletableFuture<byte[]>> held = new CopyOnWriteArrayList<>();
        network.get(1).register("adapter", new io.iridium.NonBlockingServiceHandler() {
            @Override
            public CompletionStage<byte[]> handleRequestAsync(byte[] request, Duration remaining) {
                callers.add(Thread.currentThread());
                if (text(request).equals("hold")) {
                    CompletableFuture<byte[]> later = new CompletableFuture<>();
                    held.add(later);
                    return later;
                }
                return CompletableFuture.completedFuture(bytes("got " + text(request)));
            }
        }, new ServiceLimits(1, 1_000, 1, 1_000));
        awaitServers(network, "adapter", 1);
        assertThat(text(network.get(0).request("adapter", bytes("remote"), Duration.ofSeconds(5)))).isEqualTo("got remote");
        assertThat(text(network.get(1).request("adapter", bytes("local"), Duration.ofSeconds(5)))).isEqualTo("got local");
        assertThat(callers).hasSize(2).noneMatch(Thread::isVirtual);

        // held requests keep their bytes: past the 1,000-byte limit the service refuses
        CompletableFuture<byte[]> first = network.get(0).requestAsync("adapter", bytes("hold"), Duration.ofSeconds(10));
        Eventually.await(WAIT, "the first request is held", () -> held.size() == 1);
        byte[] big = new byte[990];
        assertThatThrownBy(() -> network.get(0).request("adapter", big, Duration.ofSeconds(5)))
                .isInstanceOf(IridiumException.Overloaded.class);
        held.get(0).complete(bytes("released"));
        assertThat(text(first.get(10, TimeUnit.SECONDS))).isEqualTo("released");
        assertThat(text(network.get(0).request("adapter", bytes("again"), Duration.ofSeconds(5)))).isEqualTo("got again");
    }

    @Test
    void requestAsync_withAnExecutor_completesThroughIt() throws Exception {
        List<NodeRuntime> network = network(2);
        network.get(1).register("echo", new ServiceHandler() {
            @Override
            public byte[] handleRequest(byte[] request) {
                return request;
            }
        });
        awaitServers(network, "echo", 1);
        AtomicInteger handedOn = new AtomicInteger();
        java.util.concurrent.Executor counting = task -> {
            handedOn.incrementAndGet();
            task.run();
        };
        CompletableFuture<String> reply = network.get(0).requestAsync("echo", bytes("hi"), Duration.ofSeconds(5), counting)
                .thenApply(MessagingTest::text);
        assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo("hi");
        assertThat(handedOn).hasValue(1);
    }

    @Test
    void request_handlerThrows_failsWithRemoteError() {
        List<NodeRuntime> network = network(2);
        network.get(1).register("failing", new ServiceHandler() {
            @Override
            public byte[] handleRequest(byte[] request) {
                throw new IllegalStateException("disk on fire");
            }
        });
        awaitServers(network, "failing", 1);
        assertThatThrownBy(() -> network.get(0).request("failing", bytes("x"), Duration.ofSeconds(5)))
                .isInstanceOf(IridiumException.Remote.class)
                .hasMessageContaining("disk on fire");
    }

    @Test
    void request_noMembers_failsAtOnce() {
        List<NodeRuntime> network = network(2);
        long start = System.nanoTime();
        assertThatThrownBy(() -> network.get(0).request("nobody", bytes("x"), Duration.ofSeconds(30)))
                .isInstanceOf(IridiumException.NoMembers.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void request_slowHandler_timesOut() {
        List<NodeRuntime> network = network(2);
        CountDownLatch release = new CountDownLatch(1);
        network.get(1).register("slow", new ServiceHandler() {
            @Override
            public byte[] handleRequest(byte[] request) throws Exception {
                release.await(10, TimeUnit.SECONDS);
                return request;
            }
        });
        awaitServers(network, "slow", 1);
        assertThatThrownBy(() -> network.get(0).request("slow", bytes("x"), Duration.ofMillis(300)))
                .isInstanceOf(IridiumException.TimedOut.class);
        release.countDown();
    }

    @Test
    void request_memberCrashesAfterSend_failsWithOutcomeUnknown() throws Exception {
        List<NodeRuntime> network = network(3);
        CountDownLatch running = new CountDownLatch(1);
        NodeRuntime victim = network.get(2);
        victim.register("fragile", new ServiceHandler() {
            @Override
            public byte[] handleRequest(byte[] request) throws Exception {
                running.countDown();
                Thread.sleep(60_000);
                return request;
            }
        });
        awaitServers(network, "fragile", 1);
        var reply = network.get(0).requestAsync("fragile", bytes("x"), Duration.ofSeconds(60));
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        victim.crash();
        assertThatThrownBy(() -> reply.get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IridiumException.OutcomeUnknown.class);
    }

    @Test
    void request_refusedByAnOverloadedMember_isRetriedOnAnother_andAllOverloadedFails() throws Exception {
        List<NodeRuntime> network = network(3);
        CountDownLatch release = new CountDownLatch(1);
        ServiceLimits one = new ServiceLimits(1, 1, 1, 1 << 20);
        AtomicInteger ran = new AtomicInteger();
        for (NodeRuntime member : network.subList(1, 3)) {
            member.register("busy", new ServiceHandler() {
                @Override
                public byte[] handleRequest(byte[] request) throws Exception {
                    ran.incrementAndGet();
                    release.await(20, TimeUnit.SECONDS);
                    return request;
                }
            }, one);
        }
        awaitServers(network, "busy", 2);
        NodeRuntime client = network.get(0);
        // each member admits one request of one byte; the third finds both full
        var first = client.requestAsync("busy", bytes("a"), Duration.ofSeconds(20));
        var second = client.requestAsync("busy", bytes("b"), Duration.ofSeconds(20));
        Eventually.await(WAIT, "both members run one request", () -> ran.get() == 2);
        assertThatThrownBy(() -> client.request("busy", bytes("c"), Duration.ofSeconds(10)))
                .isInstanceOf(IridiumException.Overloaded.class);
        release.countDown();
        assertThat(text(first.get(10, TimeUnit.SECONDS))).isEqualTo("a");
        assertThat(text(second.get(10, TimeUnit.SECONDS))).isEqualTo("b");
    }

    @Test
    void broadcast_reachesEveryMember_includingTheSender_inFifoOrder() {
        List<NodeRuntime> network = network(3);
        Map<String, List<Integer>> received = new ConcurrentHashMap<>();
        for (NodeRuntime member : network) {
            String name = member.self().name();
            List<Integer> log = Collections.synchronizedList(new ArrayList<>());
            received.put(name, log);
            member.register("all", new ServiceHandler() {
                @Override
                public void handleBroadcast(byte[] message) {
                    log.add(Integer.parseInt(text(message)));
                }
            });
        }
        awaitServers(network, "all", 3);
        int count = 1_000;
        for (int i = 0; i < count; i++) {
            network.get(0).broadcast("all", bytes(Integer.toString(i)));
        }
        Eventually.await(WAIT, "every member receives every broadcast",
                () -> received.values().stream().allMatch(log -> log.size() == count));
        received.values().forEach(log -> assertThat(List.copyOf(log)).isSorted());
    }

    @Test
    void publish_reachesWildcardSubscriptions_onlyWhenMatching_inOrder() {
        List<NodeRuntime> network = network(3);
        List<String> star = new CopyOnWriteArrayList<>();
        List<String> tail = new CopyOnWriteArrayList<>();
        List<String> exact = new CopyOnWriteArrayList<>();
        network.get(1).subscribe("orders.*.created", (topic, event) -> star.add(topic + "=" + text(event)));
        network.get(2).subscribe("orders.>", (topic, event) -> tail.add(topic + "=" + text(event)));
        network.get(0).subscribe("orders.eu.created", (topic, event) -> exact.add(text(event)), TopicLimits.DEFAULT);
        awaitSubscribers(network, "orders.eu.created", 3);
        awaitSubscribers(network, "orders.us.shipped", 1);
        NodeRuntime publisher = network.get(0);
        for (int i = 0; i < 200; i++) {
            publisher.publish("orders.eu.created", bytes(Integer.toString(i)));
        }
        publisher.publish("orders.us.shipped", bytes("s"));
        publisher.publish("invoices.eu.created", bytes("nobody"));
        Eventually.await(WAIT, "events arrive", () -> star.size() == 200 && tail.size() == 201 && exact.size() == 200);
        assertThat(star).allMatch(e -> e.startsWith("orders.eu.created="));
        assertThat(tail).contains("orders.us.shipped=s");
        assertThat(exact.stream().map(Integer::parseInt).toList()).isSorted();
    }

    @Test
    void eventsReadInOneBurst_reachTheHandlerInOrder_andAHandlerThatThrowsLosesOnlyThatEvent() {
        List<NodeRuntime> network = network(2);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        network.get(1).subscribe("ticks", (topic, event) -> {
            int n = Integer.parseInt(text(event));
            if (n % 3 == 0) {
                throw new IllegalStateException("handler bug on " + n);
            }
            seen.add(n);
        });
        awaitSubscribers(network, "ticks", 1);
        for (int i = 1; i <= 3_000; i++) {
            network.get(0).publish("ticks", bytes(Integer.toString(i)));
        }
        Eventually.await(WAIT, "every event but the ones the handler threw on", () -> seen.size() == 2_000);
        assertThat(seen).isSorted().doesNotHaveDuplicates().noneMatch(n -> n % 3 == 0);
    }

    /**
     * Event {@code i}: its number, then bytes that depend on it and their place; sizes from 4 bytes
     * to past what the decoder packs into slabs.
     */
    static byte[] numberedEvent(int i) {
        int[] sizes = {4, 16, 1024, 100, BodySlab.MAX_PACKED_BODY + 10};
        byte[] event = new byte[sizes[i % sizes.length]];
        ByteBuffer.wrap(event).putInt(i);
        for (int k = 4; k < event.length; k++) {
            event[k] = (byte) (i * 31 + k);
        }
        return event;
    }

    /** The number of an event from {@link #numberedEvent}, or -1 when any of its bytes is not what it should be. */
    static int checkedNumber(ByteBuffer event) {
        if (event.remaining() < 4) {
            return -1;
        }
        int i = event.getInt(event.position());
        return i >= 0 && event.equals(ByteBuffer.wrap(numberedEvent(i))) ? i : -1;
    }

    /** Publishes, waiting while the subscriber's outbound queue is full (faster than it reads). */
    static void publishWaitingForRoom(NodeRuntime publisher, String topic, byte[] event) {
        while (true) {
            try {
                publisher.publish(topic, event);
                return;
            } catch (IridiumException.BackPressure full) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }
    }

    @Test
    void inPlaceReaders_seeEveryEventsBytesIntact_inOrder_besideHandlersOfTheSameEvents() {
        List<NodeRuntime> network = network(2);
        NodeRuntime subscriber = network.get(1);
        List<Integer> inOrder = new CopyOnWriteArrayList<>();
        AtomicInteger concurrentIntact = new AtomicInteger();
        AtomicInteger handled = new AtomicInteger();
        List<String> wrong = new CopyOnWriteArrayList<>();
        subscriber.subscribeInPlace("ticks", (topic, event) -> {
            if (!event.isReadOnly()) {
                wrong.add("writable view");
            }
            int i = checkedNumber(event);
            if (i % 7 == 3) {
                throw new IllegalStateException("reader bug on " + i); // loses only this event
            }
            inOrder.add(i);
        });
        subscriber.subscribeInPlace("ticks", (topic, event) -> {
            if (checkedNumber(event) >= 0) {
                concurrentIntact.incrementAndGet();
            }
        }, new TopicLimits(4, 64L << 20));
        subscriber.subscribe("ticks", (topic, event) -> {
            if (checkedNumber(ByteBuffer.wrap(event)) >= 0) {
                handled.incrementAndGet();
            }
        });
        awaitSubscribers(network, "ticks", 1);
        int count = 20_000;
        for (int i = 0; i < count; i++) {
            publishWaitingForRoom(network.get(0), "ticks", numberedEvent(i));
        }

        int lost = (count + 3) / 7; // numbers 3, 10, 17, ... below count
        Eventually.await(WAIT, "every event read", () -> inOrder.size() == count - lost
                && concurrentIntact.get() == count && handled.get() == count);
        assertThat(wrong).isEmpty();
        assertThat(inOrder).isSorted().doesNotHaveDuplicates().allMatch(i -> i >= 0 && i % 7 != 3);
    }

    @Test
    void inPlaceReader_onThePublishersOwnNode_seesItsEvents() {
        NodeRuntime node = network(1).get(0);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        node.subscribeInPlace("local.ticks", (topic, event) -> seen.add(checkedNumber(event)));
        awaitSubscribers(List.of(node), "local.ticks", 1);
        for (int i = 0; i < 100; i++) {
            node.publish("local.ticks", numberedEvent(i));
        }
        Eventually.await(WAIT, "every event read", () -> seen.size() == 100);
        assertThat(seen).containsExactlyElementsOf(IntStream.range(0, 100).boxed().toList());
    }

    @Test
    void burstToAConcurrentSubscription_isSpreadOverItsHandlerThreads() throws Exception {
        List<NodeRuntime> network = network(2);
        CountDownLatch twoAtOnce = new CountDownLatch(2);
        AtomicInteger handled = new AtomicInteger();
        AtomicInteger overlapped = new AtomicInteger();
        network.get(1).subscribe("ticks", (topic, event) -> {
            twoAtOnce.countDown();
            try {
                // the first handler waits here until a second one runs beside it: with every
                // event of a read burst in one task, it would wait alone until the deadline
                if (twoAtOnce.await(10, TimeUnit.SECONDS)) {
                    overlapped.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            handled.incrementAndGet();
        }, new TopicLimits(4, 64L << 20));
        awaitSubscribers(network, "ticks", 1);
        for (int i = 0; i < 2_000; i++) {
            network.get(0).publish("ticks", new byte[16]);
        }

        Eventually.await(WAIT, "every event handled", () -> handled.get() == 2_000);
        assertThat(overlapped.get()).as("handlers that found another running beside them").isEqualTo(2_000);
    }

    @Test
    void eventsOverASubscriptionsLimits_areDroppedAndCounted_neverQueuedWithoutBound() throws Exception {
        List<NodeRuntime> network = network(2);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        network.get(1).subscribe("metrics.cpu", (topic, event) -> {
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            handled.incrementAndGet();
        }, new TopicLimits(1, 1_000));
        awaitSubscribers(network, "metrics.cpu", 1);
        for (int i = 0; i < 100; i++) {
            network.get(0).publish("metrics.cpu", new byte[100]);
        }
        var dropped = network.get(1).metrics().counter("iridium.messages.dropped", "pattern", "publish");
        Eventually.await(WAIT, "the events beyond 1,000 bytes of backlog are dropped and counted", () -> dropped.count() >= 85);
        release.countDown();
        Eventually.await(WAIT, "the admitted events are handled", () -> handled.get() + dropped.count() == 100);
        assertThat(handled.get()).isBetween(1, 15);
    }

    @Test
    void memberKilledMidLoad_noRequestRunsTwice_andEveryRequestEndsInAReplyOrATypedFailure() throws Exception {
        List<NodeRuntime> network = network(4);
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        for (NodeRuntime member : network.subList(1, 4)) {
            member.register("ledger", new ServiceHandler() {
                @Override
                public byte[] handleRequest(byte[] request) throws Exception {
                    runs.computeIfAbsent(text(request), k -> new AtomicInteger()).incrementAndGet();
                    Thread.sleep(5);
                    return request;
                }
            });
        }
        awaitServers(network, "ledger", 3);
        NodeRuntime client = network.get(0);
        int total = 600;
        List<java.util.concurrent.CompletableFuture<byte[]>> replies = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            replies.add(client.requestAsync("ledger", bytes("op-" + i), Duration.ofSeconds(20)));
            if (i == total / 3) {
                network.get(2).crash();
            }
            if (i % 50 == 0) {
                Thread.sleep(20);
            }
        }
        int ok = 0;
        Map<Class<?>, Integer> failures = new ConcurrentHashMap<>();
        for (int i = 0; i < total; i++) {
            try {
                assertThat(text(replies.get(i).get(30, TimeUnit.SECONDS))).isEqualTo("op-" + i);
                ok++;
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).as("a typed failure").isInstanceOf(IridiumException.class);
                failures.merge(e.getCause().getClass(), 1, Integer::sum);
            }
        }
        assertThat(ok + failures.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(total);
        assertThat(runs.values()).allMatch(count -> count.get() == 1);
        assertThat(failures.keySet()).allMatch(type -> type == IridiumException.OutcomeUnknown.class);
        assertThat(ok).isGreaterThan(total / 2);
    }

    @Test
    void manySubscriptions_advertisementLargerThanASmallDatagram_stillSpreads() {
        List<NodeRuntime> network = network(2);
        for (int i = 0; i < 150; i++) {
            network.get(1).subscribe("sensors.building-" + i + ".*.temperature", (topic, event) -> { });
        }
        // about 7 KB of patterns: one registry datagram well past Netty's default 2 KiB read buffer
        awaitSubscribers(network, "sensors.building-149.floor-3.temperature", 1);
    }

    @Test
    void messageLargerThanAFrame_isRefusedAtTheCall() {
        NodeRuntime node = network(1).get(0);
        byte[] huge = new byte[io.iridium.Config.DEFAULT_MAX_FRAME_BYTES];
        assertThatThrownBy(() -> node.request("any", huge, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tunnel");
        assertThatThrownBy(() -> node.publish("any.topic", huge)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closedNode_failsCallsWithClosed_andPendingRequestsToo() throws Exception {
        List<NodeRuntime> network = network(2);
        CountDownLatch never = new CountDownLatch(1);
        network.get(1).register("hang", new ServiceHandler() {
            @Override
            public byte[] handleRequest(byte[] request) throws Exception {
                never.await(30, TimeUnit.SECONDS);
                return request;
            }
        });
        awaitServers(network, "hang", 1);
        NodeRuntime client = network.get(0);
        var pending = client.requestAsync("hang", bytes("x"), Duration.ofSeconds(30));
        client.close();
        assertThatThrownBy(() -> pending.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IridiumException.Closed.class);
        assertThatThrownBy(() -> client.request("hang", bytes("y"), Duration.ofSeconds(1))).isInstanceOf(IridiumException.Closed.class);
        assertThatThrownBy(() -> client.publish("a.b", bytes("z"))).isInstanceOf(IridiumException.Closed.class);
        never.countDown();
    }

    @Test
    void publishToAnUnreachableSubscriber_fillsItsBoundedQueue_thenFailsWithBackPressure() {
        List<NodeRuntime> network = network(2);
        network.get(1).subscribe("big.data", (topic, event) -> { });
        awaitSubscribers(network, "big.data", 1);
        network.get(1).crash(); // until membership notices, the publisher still routes to it
        byte[] megabyte = new byte[1 << 20];
        assertThatThrownBy(() -> {
            for (int i = 0; i < 200; i++) {
                network.get(0).publish("big.data", megabyte);
            }
        }).isInstanceOf(IridiumException.BackPressure.class).hasMessageContaining("full outbound queues");
    }

    @Test
    void badNames_areRejectedAtTheCall() {
        NodeRuntime node = network(1).get(0);
        assertThatThrownBy(() -> node.request("", bytes("x"), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> node.publish("orders.*", bytes("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> node.subscribe("orders.>.x", (t, e) -> { })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> node.subscribe("a..b", (t, e) -> { })).isInstanceOf(IllegalArgumentException.class);
    }
}
