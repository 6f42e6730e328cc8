package io.iridium.cli.admin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One HTTP request from a test, with a timeout so that a hung server fails the test. */
final class HttpGet {

    private HttpGet() {}

    static HttpResponse<String> send(String method, URI uri) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(10))
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .build();
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return send("GET", uri);
    }
}
