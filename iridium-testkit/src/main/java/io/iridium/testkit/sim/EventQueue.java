package io.iridium.testkit.sim;

import java.util.PriorityQueue;

/**
 * Pending simulation events, ordered by virtual time and, at equal times, by the order they were
 * scheduled: the total order that makes a run a pure function of its seed.
 */
final class EventQueue {

    private record Event(long time, long sequence, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event other) {
            int byTime = Long.compare(time, other.time);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long nextSequence;

    void schedule(long time, Runnable action) {
        queue.add(new Event(time, nextSequence++, action));
    }

    boolean hasEventAtOrBefore(long time) {
        Event head = queue.peek();
        return head != null && head.time() <= time;
    }

    long nextTime() {
        return queue.peek().time();
    }

    Runnable takeNext() {
        return queue.poll().action();
    }

    int size() {
        return queue.size();
    }
}
