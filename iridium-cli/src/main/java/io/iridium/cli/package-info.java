/**
 * The {@code iridium} program: one picocli command ({@link io.iridium.cli.Main}) with a small
 * class per subcommand — {@code keygen}, {@code node}, {@code status} and {@code demo}.
 *
 * <p>Exit codes are picocli's: 0 success, 1 a command that failed (a message on standard error
 * says why), 2 a usage error (a bad option value, say). Commands print to the writers of their
 * {@link picocli.CommandLine}, so tests run them in-process and read what they printed.
 */
package io.iridium.cli;
