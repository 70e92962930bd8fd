package io.edgerag.support.pinecone;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stand-in's filter semantics against the examples of Pinecone's metadata-filter documentation. */
class PineconeFilterTest {

    private static final Struct MOVIE = Struct.newBuilder()
            .putFields("genre", str("drama"))
            .putFields("year", num(2019))
            .putFields("tags", list(str("award"), str("classic")))
            .build();

    @Test
    void should_match_equality_in_long_and_shorthand_form() {
        assertThat(matches(obj("genre", obj("$eq", str("drama"))))).isTrue();
        assertThat(matches(obj("genre", str("drama")))).isTrue();
        assertThat(matches(obj("genre", obj("$eq", str("comedy"))))).isFalse();
        assertThat(matches(obj("genre", obj("$ne", str("comedy"))))).isTrue();
        assertThat(matches(obj("genre", obj("$ne", str("drama"))))).isFalse();
    }

    @Test
    void should_match_membership_operators() {
        assertThat(matches(obj("genre", obj("$in", list(str("comedy"), str("drama")))))).isTrue();
        assertThat(matches(obj("genre", obj("$in", list(str("comedy")))))).isFalse();
        assertThat(matches(obj("genre", obj("$nin", list(str("comedy")))))).isTrue();
        assertThat(matches(obj("genre", obj("$nin", list(str("drama")))))).isFalse();
    }

    @Test
    void should_match_a_list_field_when_any_element_matches() {
        assertThat(matches(obj("tags", obj("$eq", str("classic"))))).isTrue();
        assertThat(matches(obj("tags", obj("$in", list(str("new"), str("award")))))).isTrue();
        assertThat(matches(obj("tags", obj("$nin", list(str("award")))))).isFalse();
    }

    @Test
    void should_compare_numbers_and_never_match_missing_fields() {
        assertThat(matches(obj("year", obj("$gt", num(2018))))).isTrue();
        assertThat(matches(obj("year", obj("$gte", num(2019))))).isTrue();
        assertThat(matches(obj("year", obj("$lt", num(2019))))).isFalse();
        assertThat(matches(obj("year", obj("$lte", num(2019))))).isTrue();
        assertThat(matches(obj("rating", obj("$gt", num(0))))).isFalse();
        assertThat(matches(obj("genre", obj("$lt", num(5))))).isFalse();
        assertThat(matches(obj("rating", obj("$ne", num(3))))).isTrue();
    }

    @Test
    void should_combine_with_and_or_and_implicitly_and_top_level_keys() {
        assertThat(matches(obj("$and", list(obj("genre", str("drama")), obj("year", obj("$gte", num(2019))))))).isTrue();
        assertThat(matches(obj("$and", list(obj("genre", str("drama")), obj("year", obj("$gt", num(2019))))))).isFalse();
        assertThat(matches(obj("$or", list(obj("genre", str("comedy")), obj("year", obj("$gt", num(2000))))))).isTrue();
        assertThat(matches(obj("$or", list(obj("genre", str("comedy")), obj("year", obj("$gt", num(2020))))))).isFalse();
        Struct both = Struct.newBuilder().putFields("genre", str("drama")).putFields("year", num(2020)).build();
        assertThat(PineconeFilter.matches(both, MOVIE)).isFalse();
        Value range = Value.newBuilder().setStructValue(Struct.newBuilder().putFields("$gt", num(2000))
                .putFields("$lt", num(2010))).build();
        assertThat(matches(obj("year", range))).isFalse();
    }

    @Test
    void should_reject_unknown_operators_and_wrong_operand_types() {
        assertThatThrownBy(() -> matches(obj("genre", obj("$regex", str("d.*"))))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> matches(obj("genre", obj("$in", str("drama"))))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> matches(obj("year", obj("$gt", str("2000"))))).isInstanceOf(IllegalArgumentException.class);
    }

    private static boolean matches(Value filter) {
        return PineconeFilter.matches(filter.getStructValue(), MOVIE);
    }

    private static Value obj(String key, Value value) {
        return Value.newBuilder().setStructValue(Struct.newBuilder().putFields(key, value)).build();
    }

    private static Value str(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    private static Value num(double d) {
        return Value.newBuilder().setNumberValue(d).build();
    }

    private static Value list(Value... values) {
        return Value.newBuilder().setListValue(ListValue.newBuilder().addAllValues(Arrays.asList(values))).build();
    }
}
