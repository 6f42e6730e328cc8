package io.iridium.cli;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * Binds the JVM's and the process's standard meters (memory, garbage collection, threads,
 * classes, CPU, uptime, open files) to a registry, beside the node's own meters.
 * {@link #close()} stops the garbage-collection listener, the one binder that holds resources.
 */
final class JvmMeters implements AutoCloseable {

    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    private JvmMeters() {}

    static JvmMeters bindTo(MeterRegistry registry) {
        JvmMeters meters = new JvmMeters();
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        meters.gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        return meters;
    }

    @Override
    public void close() {
        gcMetrics.close();
    }
}
