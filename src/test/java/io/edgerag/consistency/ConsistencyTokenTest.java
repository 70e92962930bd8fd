package io.edgerag.consistency;

import io.edgerag.common.InvalidRequestException;
import io.edgerag.store.local.Version;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsistencyTokenTest {

    @Test
    void should_round_trip_document_and_version_including_odd_node_ids() {
        ConsistencyToken token = new ConsistencyToken("alerts:fire@2024.05", new Version(1_764_000_000_123_456L, "edge.β-1"));

        ConsistencyToken back = ConsistencyToken.parse(token.encode());

        assertThat(back).isEqualTo(token);
        assertThat(token.encode()).startsWith("v1.1764000000123456.").doesNotContain("=");
    }

    @Test
    void should_treat_absent_token_as_none_and_refuse_foreign_ones() {
        assertThat(ConsistencyToken.parse(null)).isNull();
        assertThat(ConsistencyToken.parse("  ")).isNull();
        assertThatThrownBy(() -> ConsistencyToken.parse("v2.1.YQ.YQ")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> ConsistencyToken.parse("v1.notanumber.YQ.YQ")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> ConsistencyToken.parse("v1.1.YQ.")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> ConsistencyToken.parse("v1.1.YQ")).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void should_parse_levels_and_refuse_unknown_ones() {
        assertThat(WriteLevel.parse(null, WriteLevel.CLOUD)).isEqualTo(WriteLevel.CLOUD);
        assertThat(WriteLevel.parse(" All ", WriteLevel.LOCAL)).isEqualTo(WriteLevel.ALL);
        assertThat(ReadLevel.parse("FRESH")).isEqualTo(ReadLevel.FRESH);
        assertThat(ReadLevel.parse(null)).isEqualTo(ReadLevel.LOCAL);
        assertThatThrownBy(() -> WriteLevel.parse("strong", WriteLevel.LOCAL)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("local, cloud or all");
        assertThatThrownBy(() -> ReadLevel.parse("cloud")).isInstanceOf(InvalidRequestException.class);
    }
}
