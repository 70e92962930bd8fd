package io.edgerag.bench;

import io.edgerag.support.OllamaStandInServer;

import java.util.List;

/**
 * Runs the test suite's {@link OllamaStandInServer} on a fixed loopback port until killed, for
 * {@code bench/appliance.sh} and {@code bench/load.sh}. Arguments: port, delay between tokens in ms, number
 * of tokens, and optionally parallel streams (0 = unlimited) and time to first token in ms (like one GPU).
 */
public final class OllamaStandInMain {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long delayMs = args.length > 1 ? Long.parseLong(args[1]) : 5;
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        OllamaStandInServer server = new OllamaStandInServer(port);
        List<String> tokens = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            tokens.add(i == 0 ? "Token" : " t" + i);
        }
        server.script(tokens, delayMs);
        int parallel = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        long ttftMs = args.length > 4 ? Long.parseLong(args[4]) : 0;
        server.gpu(parallel, ttftMs);
        server.start();
        System.out.println("Ollama stand-in on " + server.baseUrl() + ", " + count + " tokens, " + delayMs + " ms apart, "
                + (parallel == 0 ? "unlimited" : parallel) + " parallel streams, first token after " + ttftMs + " ms");
        Thread.currentThread().join();
    }
}
