package io.edgerag.store.cloud.pinecone;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * TLS to the cloud unless the index host is this machine: passages and vectors leave the edge through this
 * connection, so plaintext is for a loopback stand-in only (tests, a local emulator) and anything else needs
 * an explicit override. The host is judged by its name as given, never by a DNS lookup, which an attacker
 * who controls DNS could answer with 127.0.0.1.
 */
final class CloudTransport {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private CloudTransport() {
    }

    /** @throws IllegalStateException when {@code tls} is off for a host that is not loopback, without the override */
    static void requireTlsOffLoopback(String indexHost, boolean tls, boolean allowRemotePlaintext) {
        if (tls || allowRemotePlaintext || isLoopback(indexHost)) {
            return;
        }
        throw new IllegalStateException("edgerag.cloud.pinecone.tls=false sends passages unencrypted to " + indexHost
                + ", which is not a loopback address; plaintext is for a stand-in on 127.0.0.1/localhost only "
                + "(set edgerag.cloud.pinecone.allow-remote-plaintext=true to override)");
    }

    /** {@code localhost} or a loopback IP literal, with or without scheme, port and path. */
    static boolean isLoopback(String indexHost) {
        String host = hostOf(indexHost);
        if (host.equals("localhost")) {
            return true;
        }
        boolean literal = IPV4.matcher(host).matches() || host.contains(":");
        if (!literal) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException notAnAddress) {
            return false;
        }
    }

    private static String hostOf(String indexHost) {
        String rest = indexHost.strip().toLowerCase(Locale.ROOT).replaceFirst("^[a-z][a-z0-9+.-]*://", "");
        if (rest.startsWith("[")) {
            int end = rest.indexOf(']');
            return end < 0 ? rest : rest.substring(1, end);
        }
        int end = rest.length();
        for (char stop : new char[]{':', '/', '?', '#'}) {
            int at = rest.indexOf(stop);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return rest.substring(0, end);
    }
}
