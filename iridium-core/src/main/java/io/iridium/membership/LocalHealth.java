package io.iridium.membership;

/**
 * Lifeguard's local health multiplier ("awareness" in memberlist): a score in
 * {@code 0..max} that rises when this node has evidence that its own processing or network is
 * at fault (failed probes without nacks, missing nacks, having to refute a suspicion of itself)
 * and falls with every successful probe. Probe intervals and timeouts are multiplied by
 * {@code score + 1}, so a struggling node slows down instead of accusing healthy peers.
 */
final class LocalHealth {

    private final int max;
    private int score;

    LocalHealth(int max) {
        this.max = max;
    }

    int score() {
        return score;
    }

    void apply(int delta) {
        score = Math.max(0, Math.min(max, score + delta));
    }

    long scale(long millis) {
        return millis * (score + 1L);
    }
}
