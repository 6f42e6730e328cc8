package io.iridium.bench.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak resident set size of a process, as Linux records it ({@code VmHWM} in
 * {@code /proc/PID/status}), in kilobytes; -1 where the system does not tell (not Linux).
 */
public final class PeakRss {
    private PeakRss() {}

    /** This process's peak RSS in kB, or -1. */
    public static long selfKilobytes() {
        return ofProcess(ProcessHandle.current().pid());
    }

    /** Peak RSS in kB of process {@code pid}, or -1 if it cannot be read. */
    public static long ofProcess(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
