/**
 * The {@code iridium} program: one picocli command ({@link io.iridium.cli.Main}) with a small
 * class per subcommand — {@code keygen}, {@code node}, {@code status}, {@code demo}, and the
 * messaging commands {@code serve}, {@code request}, {@code broadcast}, {@code pub}, {@code sub}
 * and {@code tunnel}, which share {@link io.iridium.cli.NetworkOptions} with {@code node} and run a
 * {@link io.iridium.cli.ShortLivedNode} for as long as they do.
 *
 * <p>Exit codes are picocli's: 0 success, 1 a command that failed (a message on standard error
 * says why), 2 a usage error (a bad option value, say). Commands print to the writers of their
 * {@link picocli.CommandLine}, so tests run them in-process and read what they printed.
 */
package io.iridium.cli;
