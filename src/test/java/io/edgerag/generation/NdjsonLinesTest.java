package io.edgerag.generation;

import io.vertx.mutiny.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NdjsonLinesTest {

    @Test
    void should_cut_lines_that_span_buffers_and_buffers_that_hold_several_lines() {
        NdjsonLines lines = new NdjsonLines();
        List<String> out = new ArrayList<>();
        for (String part : List.of("{\"a\":1}\n{\"b\"", ":2}\n{\"c\":3}\n{\"d\"", ":4", "}\n", "{\"e\":5}")) {
            lines.complete(Buffer.buffer(part)).forEach(b -> out.add(b.toString()));
        }
        assertThat(out).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}", "{\"d\":4}");
        assertThat(lines.rest()).extracting(Buffer::toString).containsExactly("{\"e\":5}");
    }

    @Test
    void should_hold_nothing_back_when_the_body_ends_with_a_newline() {
        NdjsonLines lines = new NdjsonLines();
        assertThat(lines.complete(Buffer.buffer("{\"done\":true}\n"))).extracting(Buffer::toString)
                .containsExactly("{\"done\":true}");
        assertThat(lines.rest()).isEmpty();
    }
}
