package io.iridium.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iridium.Endpoint;
import io.iridium.NodeId;
import io.iridium.routing.RegistryMessage.Digest;
import io.iridium.routing.RegistryMessage.Pull;
import io.iridium.routing.RegistryMessage.Update;
import io.iridium.routing.TestNetwork.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import io.iridium.env.Environment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryTest {

    private static final RegistryConfig CONFIG = RegistryConfig.defaults();

    /** A registry whose outbox is a list, with a clock the test moves. */
    private static final class Probe {
        final List<Map.Entry<Endpoint, RegistryMessage>> sent = new ArrayList<>();
        long now = 10_000;
        final SplittableRandom random = new SplittableRandom(7);
        final NodeId id = new NodeId(100, 100);
        final Endpoint address = new Endpoint("10.0.0.1", 7946);
        final Registry registry;

        Probe(RegistryConfig config) {
            Environment env = new Environment() {
                @Override
                public long nowMillis() {
                    return now;
                }

                @Override
                public RandomGenerator random() {
                    return random;
                }
            };
            registry = new Registry(config, id, address, env, (to, m) -> sent.add(Map.entry(to, m)));
        }

        <M extends RegistryMessage> List<M> sent(Class<M> type) {
            return sent.stream().map(Map.Entry::getValue).filter(type::isInstance).map(type::cast).toList();
        }
    }

    private static Advertisement ad(NodeId owner, long version, Map<String, Integer> services, Set<String> patterns) {
        return Advertisement.of(owner, new Endpoint("10.1.0." + (owner.low() % 250 + 1), 7000), version, services, patterns);
    }

    @Test
    void newRegistry_routesOnlyToItself_andIsSyncedWhileAlone() {
        Probe p = new Probe(CONFIG);
        assertThat(p.registry.isSynced()).isTrue();
        assertThat(p.registry.routes().advertisements()).containsOnlyKeys(p.id);
        assertThat(p.registry.local().version()).isEqualTo(1);

        p.registry.publishLocal(Map.of("databases", 4), Set.of("orders.>"));

        Routes routes = p.registry.routes();
        assertThat(routes.membersOf("databases")).containsExactly(new Route(p.id, p.address, 4));
        assertThat(routes.subscribersOf("orders.eu")).containsExactly(p.id);
        assertThat(routes.membersOf("nothing")).isEmpty();
        assertThat(p.registry.local().version()).isEqualTo(2);
    }

    @Test
    void publishLocal_sameContent_keepsVersionAndRoutes() {
        Probe p = new Probe(CONFIG);
        p.registry.publishLocal(Map.of("a", 1), Set.of("x"));
        Routes before = p.registry.routes();
        long version = p.registry.routesVersion();

        p.registry.publishLocal(new TreeMap<>(Map.of("a", 1)), new HashSet<>(Set.of("x")));

        assertThat(p.registry.local().version()).isEqualTo(2);
        assertThat(p.registry.routesVersion()).isEqualTo(version);
        assertThat(p.registry.routes()).isSameAs(before);
    }

    @Test
    void publishLocal_invalidOrOversized_rejectedWithReason() {
        Probe p = new Probe(RegistryConfig.builder().maxMessageBytes(RegistryConfig.MIN_MESSAGE_BYTES).build());
        assertThatThrownBy(() -> p.registry.publishLocal(Map.of("", 1), Set.of())).hasMessageContaining("empty");
        assertThatThrownBy(() -> p.registry.publishLocal(Map.of("a", -1), Set.of())).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> p.registry.publishLocal(Map.of(), Set.of("a.>.b"))).hasMessageContaining("last token");
        Set<String> many = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            many.add("topic.number." + i);
        }
        assertThatThrownBy(() -> p.registry.publishLocal(Map.of(), many)).hasMessageContaining("maxMessageBytes");
        assertThat(p.registry.local().version()).isEqualTo(1);
    }

    @Test
    void publishLocal_thenTick_pushesRumorToFanoutLiveMembers() {
        Probe p = new Probe(CONFIG);
        for (int i = 0; i < 10; i++) {
            p.registry.memberUp(new NodeId(1, i), new Endpoint("10.0.1." + (i + 1), 7946));
        }
        p.registry.publishLocal(Map.of("a", 1), Set.of());
        p.registry.tick();

        List<Map.Entry<Endpoint, RegistryMessage>> rumors = p.sent.stream()
                .filter(e -> e.getValue() instanceof Update u && u.rumor()).toList();
        assertThat(rumors).hasSize(CONFIG.pushFanout());
        assertThat(rumors.stream().map(Map.Entry::getKey).distinct()).hasSize(CONFIG.pushFanout());
        assertThat(((Update) rumors.getFirst().getValue()).advertisements()).containsExactly(p.registry.local());

        p.sent.clear();
        p.registry.tick();
        assertThat(p.sent(Update.class)).as("pushed once").isEmpty();
    }

    @Test
    void rumorWithNews_isForwardedOnce_oldNewsIsNot() {
        Probe p = new Probe(CONFIG);
        NodeId other = new NodeId(1, 1);
        for (int i = 0; i < 5; i++) {
            p.registry.memberUp(new NodeId(1, i), new Endpoint("10.0.1." + (i + 1), 7946));
        }
        p.registry.tick();
        p.sent.clear();
        Advertisement news = ad(other, 5, Map.of("db", 1), Set.of());

        p.registry.receive(new Endpoint("10.0.1.9", 7946), new Update(new NodeId(9, 9), true, List.of(news)));
        p.registry.receive(new Endpoint("10.0.1.9", 7946), new Update(new NodeId(9, 9), true, List.of(news)));
        p.registry.tick();

        List<Update> forwarded = p.sent(Update.class);
        assertThat(forwarded).isNotEmpty().allMatch(Update::rumor).allMatch(u -> u.advertisements().equals(List.of(news)));
        assertThat(forwarded.size()).isLessThanOrEqualTo(CONFIG.pushFanout());
        p.sent.clear();
        p.registry.receive(new Endpoint("10.0.1.9", 7946), new Update(new NodeId(9, 9), true, List.of(news)));
        p.registry.tick();
        assertThat(p.sent(Update.class)).isEmpty();
    }

    @Test
    void digest_answeredWithWhatTheSenderLacks_andPullForWhatWeLack() {
        Probe p = new Probe(CONFIG);
        NodeId x = new NodeId(2, 2);
        NodeId y = new NodeId(3, 3);
        p.registry.receive(new Endpoint("h", 1), new Update(x, false, List.of(ad(x, 4, Map.of(), Set.of("x")))));
        Endpoint sender = new Endpoint("10.0.0.9", 7946);

        p.registry.receive(sender, Digest.whole(new NodeId(9, 9), Digest.Kind.SYNC, Map.of(x, 2L, y, 1L, p.id, 1L)));

        List<Update> updates = p.sent(Update.class);
        assertThat(updates).hasSize(1);
        assertThat(updates.getFirst().rumor()).isFalse();
        assertThat(updates.getFirst().advertisements()).extracting(Advertisement::owner).containsExactly(x);
        assertThat(p.sent(Pull.class)).singleElement().extracting(Pull::owners).isEqualTo(List.of(y));
        assertThat(p.sent(Digest.class)).as("no digest back for SYNC").isEmpty();
        assertThat(p.sent).allMatch(e -> e.getKey().equals(sender));

        p.sent.clear();
        p.registry.receive(sender, new Pull(new NodeId(9, 9), List.of(x, y)));
        assertThat(p.sent(Update.class)).singleElement()
                .satisfies(u -> assertThat(u.advertisements()).extracting(Advertisement::owner).containsExactly(x));
    }

    @Test
    void catchUpDigest_answeredWithAReplyDigest_andReplyDigestAnsweredWithNothing() {
        Probe p = new Probe(CONFIG);
        Endpoint sender = new Endpoint("10.0.0.9", 7946);
        p.registry.receive(sender, Digest.whole(new NodeId(9, 9), Digest.Kind.CATCH_UP, Map.of()));
        assertThat(p.sent(Digest.class)).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(Digest.Kind.REPLY);
            assertThat(d.versions()).containsOnlyKeys(p.id);
        });
        p.sent.clear();
        p.registry.receive(sender, Digest.whole(new NodeId(9, 9), Digest.Kind.REPLY, Map.of(new NodeId(5, 5), 3L)));
        assertThat(p.sent).isEmpty();
    }

    @Test
    void advertisementOfUnknownOwner_keptButNotRouted_untilMemberUp() {
        Probe p = new Probe(CONFIG);
        NodeId stranger = new NodeId(4, 4);
        long before = p.registry.routesVersion();
        p.registry.receive(new Endpoint("h", 1), new Update(stranger, false, List.of(ad(stranger, 1, Map.of("db", 2), Set.of("t.>")))));

        assertThat(p.registry.advertisementOf(stranger)).isPresent();
        assertThat(p.registry.routes().membersOf("db")).isEmpty();
        assertThat(p.registry.routesVersion()).isEqualTo(before);

        p.registry.memberUp(stranger, new Endpoint("10.9.9.9", 7946));

        assertThat(p.registry.routesVersion()).isGreaterThan(before);
        assertThat(p.registry.routes().membersOf("db")).extracting(Route::node).containsExactly(stranger);
        assertThat(p.registry.routes().subscribersOf("t.x")).containsExactly(stranger);
    }

    @Test
    void unknownOwner_forgottenAfterRetention_butNotALiveOne() {
        RegistryConfig config = RegistryConfig.builder().unknownOwnerRetentionMillis(5_000).build();
        Probe p = new Probe(config);
        NodeId stranger = new NodeId(4, 4);
        NodeId member = new NodeId(5, 5);
        p.registry.memberUp(member, new Endpoint("10.5.5.5", 1));
        p.registry.receive(new Endpoint("h", 1), new Update(stranger, false,
                List.of(ad(stranger, 1, Map.of(), Set.of()), ad(member, 1, Map.of(), Set.of()))));
        p.now += 6_000;
        p.registry.tick();
        p.now += 1_000;
        p.registry.tick();

        assertThat(p.registry.advertisementOf(stranger)).isEmpty();
        assertThat(p.registry.advertisementOf(member)).isPresent();
        p.registry.receive(new Endpoint("h", 1), new Update(stranger, false, List.of(ad(stranger, 2, Map.of(), Set.of()))));
        assertThat(p.registry.advertisementOf(stranger)).as("refused for a while").isEmpty();
    }

    @Test
    void memberDown_dropsAndRefusesCopies_untilMemberUpAgain() {
        Probe p = new Probe(CONFIG);
        NodeId member = new NodeId(5, 5);
        Endpoint at = new Endpoint("10.5.5.5", 1);
        Advertisement itsAd = ad(member, 3, Map.of("db", 1), Set.of());
        p.registry.memberUp(member, at);
        p.registry.receive(at, new Update(member, false, List.of(itsAd)));
        assertThat(p.registry.routes().membersOf("db")).hasSize(1);

        p.registry.memberDown(member);
        assertThat(p.registry.routes().membersOf("db")).isEmpty();
        assertThat(p.registry.advertisementOf(member)).isEmpty();
        p.registry.receive(at, new Update(new NodeId(6, 6), false, List.of(itsAd)));
        assertThat(p.registry.advertisementOf(member)).as("a lagging node's copy is refused").isEmpty();
        p.sent.clear();
        p.registry.receive(at, Digest.whole(new NodeId(6, 6), Digest.Kind.SYNC, Map.of(member, 3L)));
        assertThat(p.sent(Pull.class)).as("nor pulled").isEmpty();

        p.registry.memberUp(member, at); // the failure verdict was refuted
        p.registry.receive(at, Digest.whole(new NodeId(6, 6), Digest.Kind.SYNC, Map.of(member, 3L)));
        assertThat(p.sent(Pull.class)).singleElement().extracting(Pull::owners).isEqualTo(List.of(member));
        p.registry.receive(at, new Update(new NodeId(6, 6), false, List.of(itsAd)));
        assertThat(p.registry.routes().membersOf("db")).hasSize(1);
    }

    @Test
    void selfIsIgnored_asMemberAndAsSender() {
        Probe p = new Probe(CONFIG);
        p.registry.memberUp(p.id, p.address);
        p.registry.memberDown(p.id);
        p.registry.receive(p.address, new Update(p.id, false, List.of(ad(p.id, 99, Map.of("evil", 1), Set.of()))));
        p.registry.receive(p.address, new Update(new NodeId(1, 1), false, List.of(ad(p.id, 99, Map.of("evil", 1), Set.of()))));
        assertThat(p.registry.liveMembers()).isEmpty();
        assertThat(p.registry.local().version()).isEqualTo(1);
        assertThat(p.registry.routes().membersOf("evil")).isEmpty();
    }

    @Test
    void routes_sortedByNode_andRebuiltOnlyAfterChanges() {
        TestNetwork net = new TestNetwork(1, CONFIG);
        List<Node> nodes = net.add(5);
        net.connectAll();
        for (Node node : nodes) {
            node.registry.publishLocal(Map.of("db", 1), Set.of());
        }
        assertThat(net.runUntilConverged(10_000, () -> true)).isTrue();
        Routes routes = nodes.getFirst().registry.routes();
        List<NodeId> order = routes.membersOf("db").stream().map(Route::node).toList();
        assertThat(order).hasSize(5).isSorted();
        net.run(5_000);
        assertThat(nodes.getFirst().registry.routes()).as("quiet network, same snapshot").isSameAs(routes);
    }

    @Test
    void twoNodes_exchangeDigests_convergeAndBecomeSynced() {
        TestNetwork net = new TestNetwork(2, CONFIG);
        Node a = net.add();
        Node b = net.add();
        a.registry.publishLocal(Map.of("db", 3), Set.of("a.*"));
        b.registry.publishLocal(Map.of("db", 5, "cache", 1), Set.of("b.>"));
        net.run(1_000);
        assertThat(a.registry.isSynced()).isTrue(); // alone so far
        net.connectAll();
        assertThat(a.registry.isSynced()).isFalse();

        assertThat(net.runUntilConverged(5_000, () -> a.registry.isSynced() && b.registry.isSynced())).isTrue();
        Routes routes = a.registry.routes();
        assertThat(routes.membersOf("db")).extracting(Route::capacity).containsExactlyInAnyOrderElementsOf(List.of(3, 5));
        assertThat(routes.membersOf("cache")).extracting(Route::node).containsExactly(b.id);
        assertThat(routes.subscribersOf("b.x.y")).containsExactly(b.id);
        assertThat(routes.subscribersOf("a.x")).containsExactly(a.id);
    }

    @Test
    void newcomer_catchesUpWithALargeNetwork_splittingDigestsAndUpdates() {
        RegistryConfig small = RegistryConfig.builder().maxMessageBytes(RegistryConfig.MIN_MESSAGE_BYTES).build();
        TestNetwork net = new TestNetwork(3, small);
        List<Node> nodes = net.add(60);
        for (Node node : nodes) {
            node.registry.publishLocal(Map.of("svc" + node.address.host().hashCode() % 5, 1),
                    Set.of("t." + node.address.host(), "all.>"));
        }
        net.connectAll();
        assertThat(net.runUntilConverged(30_000, () -> true)).isTrue();

        Node newcomer = net.add();
        newcomer.registry.publishLocal(Map.of("late", 1), Set.of());
        net.connectAll();
        assertThat(newcomer.registry.isSynced()).isFalse();
        assertThat(net.runUntilConverged(10_000, newcomer.registry::isSynced)).isTrue();

        assertThat(newcomer.registry.routes().subscribersOf("all.x")).hasSize(60);
        assertThat(net.sent).anySatisfy(e -> assertThat(decode(e.bytes())).isInstanceOfSatisfying(Digest.class,
                d -> assertThat(d.parts()).isGreaterThan(1)));
        assertThat(net.sent).anySatisfy(e -> assertThat(decode(e.bytes())).isInstanceOfSatisfying(Update.class,
                u -> assertThat(u.advertisements()).hasSizeGreaterThan(1)));
        assertThat(net.sent).allSatisfy(e -> assertThat(e.bytes().length).isLessThanOrEqualTo(small.maxMessageBytes()));
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15})
    void lossyNetwork_churnAndCrashes_allLiveNodesConverge(long seed) {
        TestNetwork net = new TestNetwork(seed, CONFIG);
        net.dropProbability = 0.2;
        List<Node> nodes = net.add(20);
        net.connectAll();
        SplittableRandom choices = new SplittableRandom(seed);
        Map<NodeId, Map<String, Integer>> expectedServices = new HashMap<>();
        for (int round = 0; round < 30; round++) {
            Node node = nodes.get(choices.nextInt(nodes.size()));
            if (!node.up) {
                continue;
            }
            Map<String, Integer> services = new TreeMap<>();
            Set<String> patterns = new HashSet<>();
            for (int i = choices.nextInt(3); i > 0; i--) {
                services.put("c" + choices.nextInt(4), choices.nextInt(10));
                patterns.add("t." + choices.nextInt(4) + (choices.nextBoolean() ? ".>" : ""));
            }
            node.registry.publishLocal(services, patterns);
            expectedServices.put(node.id, services);
            if (round % 10 == 9) {
                net.crash(nodes.get(choices.nextInt(nodes.size())));
            }
            net.run(choices.nextLong(50, 500));
        }
        assertThat(net.runUntilConverged(60_000, () -> net.live().stream().allMatch(n -> n.registry.isSynced())))
                .as("converged").isTrue();

        Routes routes = net.live().getFirst().registry.routes();
        Set<NodeId> liveIds = new HashSet<>();
        net.live().forEach(n -> liveIds.add(n.id));
        assertThat(routes.advertisements().keySet()).isEqualTo(liveIds);
        for (Node node : net.live()) {
            assertThat(routes.advertisements().get(node.id).services())
                    .isEqualTo(expectedServices.getOrDefault(node.id, Map.of()));
        }
    }

    private static RegistryMessage decode(byte[] bytes) {
        try {
            return RegistryCodec.decode(bytes);
        } catch (MalformedRegistryMessageException e) {
            throw new AssertionError(e);
        }
    }
}
