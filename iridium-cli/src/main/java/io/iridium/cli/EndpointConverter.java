package io.iridium.cli;

import io.iridium.Config;
import io.iridium.Endpoint;
import picocli.CommandLine;

/**
 * Converts {@code host:port} (or {@code [v6]:port}, or a bare host meaning the default port
 * {@value Config#DEFAULT_PORT}) into an {@link Endpoint}. A bad value becomes picocli's usage
 * error, {@code Invalid value for option '--bind': ...}, with exit code 2.
 */
final class EndpointConverter implements CommandLine.ITypeConverter<Endpoint> {

    @Override
    public Endpoint convert(String text) {
        try {
            return Endpoint.parse(text, Config.DEFAULT_PORT);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(
                    "'" + text + "' is not an address of the form HOST:PORT (" + e.getMessage() + ")");
        }
    }
}
