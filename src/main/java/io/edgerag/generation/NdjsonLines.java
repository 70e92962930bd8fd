package io.edgerag.generation;

import io.vertx.mutiny.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts Ollama's NDJSON body into lines as its buffers arrive (a line may span buffers, a buffer may hold
 * several lines). Used with {@code Multi.onItem().transformToIterable}, so demand still decides how fast the
 * body is read. Not Vert.x's {@code RecordParser}: it calls its end handler as soon as the response ends, even
 * with lines still held back for want of demand — under a slow SSE reader the chat then lost its last lines or
 * never completed (bench/load.sh, 128 users, a generation slot held for good).
 */
final class NdjsonLines {

    private Buffer partial = Buffer.buffer();

    /** The lines this buffer completes; the rest waits for the next one. */
    List<Buffer> complete(Buffer chunk) {
        List<Buffer> lines = new ArrayList<>();
        Buffer data = partial.length() == 0 ? chunk : partial.appendBuffer(chunk);
        int start = 0;
        for (int i = 0; i < data.length(); i++) {
            if (data.getByte(i) == '\n') {
                lines.add(data.getBuffer(start, i));
                start = i + 1;
            }
        }
        partial = data.getBuffer(start, data.length());
        return lines;
    }

    /** A last line the body did not end with a newline. */
    List<Buffer> rest() {
        return partial.length() == 0 ? List.of() : List.of(partial);
    }
}
