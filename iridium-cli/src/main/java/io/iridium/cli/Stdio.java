package io.iridium.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The program's standard input and output as bytes, for the commands that move binary data
 * ({@code iridium tunnel}); text goes through picocli's writers. Tests hand in their own streams.
 *
 * @param in  standard input
 * @param out standard output, flushed by its users after each write that should be seen
 */
record Stdio(InputStream in, OutputStream out) {

    Stdio {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
    }

    /** The process's own standard input and output, unbuffered and never closed by their users. */
    static Stdio system() {
        return new Stdio(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out));
    }
}
