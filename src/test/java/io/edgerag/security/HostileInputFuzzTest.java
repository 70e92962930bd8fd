package io.edgerag.security;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.edgerag.common.DocumentIds;
import io.edgerag.generation.PromptBuilder;
import io.edgerag.ingest.IngestService;
import io.edgerag.retrieval.Passage;
import io.edgerag.sync.ChangeEventCodec;
import io.edgerag.sync.PoisonEventException;

import java.nio.file.Path;
import java.text.Normalizer;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer, coverage-guided, on the code that takes hostile input apart (one target: Jazzer fuzzes one
 * {@code @FuzzTest} per JVM, and each JVM costs CI time; the last byte of an input picks the part):
 * <ol>
 *   <li>document ids and upload file names: an accepted or derived id is one path segment that stays in
 *       its directory (no {@code ..}, separator, control character, leading dot; at most 200 characters);</li>
 *   <li>passage quoting: whatever a document's title and text, its prompt entry has one opening and one
 *       closing delimiter (also after NFKC folding), no chat-template token, no line that opens as a role;</li>
 *   <li>change events from the topic: refused with {@link PoisonEventException} (dead-lettered) or decoded
 *       into something the store may take; any other exception would stop the consumer, i.e. sync.</li>
 * </ol>
 * Without {@code JAZZER_FUZZ} the seeds (and past findings) in {@code HostileInputFuzzTestInputs} replay;
 * the surefire execution {@code fuzz-tests} fuzzes for {@code maxDuration}; {@code bench/fuzz.sh} longer.
 */
class HostileInputFuzzTest {

    private static final Path DIR = Path.of("/data/documents");
    private static final Pattern OPEN = Pattern.compile("<\\s*passage", Pattern.CASE_INSENSITIVE);
    private static final Pattern CLOSE = Pattern.compile("<\\s*/\\s*passage", Pattern.CASE_INSENSITIVE);
    private static final Pattern TEMPLATE = Pattern.compile("<\\||\\[\\s*/?\\s*INST\\s*]|<<\\s*/?\\s*SYS",
            Pattern.CASE_INSENSITIVE);
    /** A line that opens as a speaker; quoting puts "[quoted]" in front, which no longer matches. */
    private static final Pattern ROLE_LINE = Pattern.compile(
            "^[\\s\\p{Z}\\p{Cf}>#*]*(system|assistant|user|developer|tool|human|ai)[\\s\\p{Z}\\p{Cf}*_]*:",
            Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);

    private final ChangeEventCodec codec = new ChangeEventCodec();

    @FuzzTest(maxDuration = "10s")
    void hostile_input_is_refused_or_made_safe(FuzzedDataProvider data) {
        switch (data.consumeInt(0, 2)) {
            case 0 -> documentIds(data.consumeString(300), data.consumeRemainingAsString());
            case 1 -> passageQuoting(data.consumeString(200), data.consumeRemainingAsString());
            default -> changeEvent(data.consumeRemainingAsString());
        }
    }

    private static void documentIds(String given, String fileName) {
        if (DocumentIds.problem(given) == null) {
            assertOneSafeSegment(given);
        }
        String derived = IngestService.fileId(fileName);
        assertThat(DocumentIds.problem(derived)).as("id derived from file name %s", fileName).isNull();
        assertOneSafeSegment(derived);
    }

    private static void assertOneSafeSegment(String id) {
        assertThat(id).isNotEmpty().hasSizeLessThanOrEqualTo(DocumentIds.MAX_LENGTH)
                .doesNotContain("..").doesNotContain("/").doesNotContain("\\").doesNotStartWith(".");
        assertThat(id.chars().noneMatch(Character::isISOControl)).as(id).isTrue();
        assertThat(DIR.resolve(id).normalize().getParent()).as(id).isEqualTo(DIR);
    }

    private static void passageQuoting(String title, String text) {
        if (text.isBlank()) {
            return;
        }
        String entry = PromptBuilder.passageEntry(1, new Passage("d", "d#0", text, 0.9, "local", null, title, null));
        String folded = Normalizer.normalize(entry, Normalizer.Form.NFKC);
        assertThat(OPEN.matcher(folded).results().count()).as(entry).isEqualTo(1);
        assertThat(CLOSE.matcher(folded).results().count()).as(entry).isEqualTo(1);
        assertThat(folded).startsWith("<passage n=\"1\"").endsWith("</passage>\n\n");
        assertThat(TEMPLATE.matcher(folded).find()).as(entry).isFalse();
        assertThat(ROLE_LINE.matcher(folded).find()).as(entry).isFalse();
    }

    private void changeEvent(String payload) {
        ChangeEventCodec.Decoded decoded;
        try {
            decoded = codec.decodeWithVectors(payload);
        } catch (PoisonEventException refused) {
            return;
        }
        assertThat(DocumentIds.problem(decoded.event().docId())).isNull();
        assertThat(decoded.version().hlc()).isPositive();
        for (float[] vector : decoded.vectors()) {
            assertThat(vector).isNotEmpty();
            for (float f : vector) {
                assertThat(Float.isFinite(f)).isTrue();
            }
        }
    }
}
