package io.iridium.testkit.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The simulation's record of what happened, one line per event: {@code time node event}. Two
 * runs of the same seed and scenario produce equal traces; a test compares them line by line.
 */
public final class Trace {

    private final List<String> lines = new ArrayList<>();
    private boolean enabled = true;

    void record(long time, String node, String event) {
        if (enabled) {
            lines.add(time + " " + node + " " + event);
        }
    }

    void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** Whether lines are being recorded (large benchmark runs switch it off). */
    public boolean isEnabled() {
        return enabled;
    }

    /** An unmodifiable view of every line so far. */
    public List<String> lines() {
        return Collections.unmodifiableList(lines);
    }

    public int size() {
        return lines.size();
    }

    /** The last {@code count} lines, joined by newlines, for failure messages. */
    public String tail(int count) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }
}
