package io.edgerag.store.local;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.edgerag.store.local.StoreFixtures.DIM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code edgerag.store.encryption.key-file}: passage text is sealed with AES-GCM in the SQLite file (and its
 * WAL), yet search, the keyword index (also when rebuilt from SQLite after a crash), get and the sync payload
 * read it back; a store written under one key refuses to open under another key or without one.
 */
class EncryptedPassageTextTest {

    private static final String SECRET = "The reactor coolant bypass code is kept in drawer nineteen";

    @TempDir
    Path dir;

    private final List<DurableVectorStore> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(DurableVectorStore::close);
    }

    @Test
    void should_keep_plaintext_out_of_the_sqlite_files_and_still_serve_the_text() throws IOException {
        TextCipher key = TextCipher.fromKeyFile(keyFile("a"));
        DurableVectorStore s = open(dir, key);
        s.upsert(doc("drawer", SECRET));

        assertThat(sqliteBytesContain(dir, "drawer nineteen")).as("plaintext in the SQLite files").isFalse();
        assertThat(sqliteBytesContain(dir, TextCipher.PREFIX)).as("sealed text in the SQLite files").isTrue();
        assertThat(s.search(TestVectors.seeded("drawer/" + SECRET, DIM), SearchRequest.topK(1)))
                .extracting(ChunkHit::text).containsExactly(SECRET);
        assertThat(keywordDocs(s, "coolant bypass")).containsExactly("drawer");
        assertThat(s.changeAt("drawer", s.get("drawer").orElseThrow().version()))
                .hasValueSatisfying(change -> assertThat(change.chunks().get(0).text()).isEqualTo(SECRET));

        // what a kill -9 leaves: the keyword index is rebuilt from (sealed) SQLite rows
        Path image = dir.resolveSibling(dir.getFileName() + "-crash");
        StoreFixtures.crashImage(dir, image);
        DurableVectorStore recovered = open(image, key);
        assertThat(keywordDocs(recovered, "drawer nineteen")).containsExactly("drawer");
    }

    @Test
    void should_refuse_to_open_with_another_key_or_without_a_key() throws IOException {
        DurableVectorStore s = open(dir, TextCipher.fromKeyFile(keyFile("a")));
        s.upsert(doc("drawer", SECRET));
        s.close();
        opened.remove(s);

        TextCipher otherKey = TextCipher.fromKeyFile(keyFile("b"));
        assertThatThrownBy(() -> open(dir, otherKey))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("edgerag.store.encryption.key-file")
                .hasMessageContaining("another key");
        assertThatThrownBy(() -> open(dir, TextCipher.NONE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("encrypted: set edgerag.store.encryption.key-file");
    }

    @Test
    void should_refuse_a_key_file_that_holds_no_aes_key() throws IOException {
        Path shortKey = Files.writeString(dir.resolve("short.key"), Base64.getEncoder().encodeToString(new byte[7]));
        assertThatThrownBy(() -> TextCipher.fromKeyFile(shortKey))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("7 bytes");
        assertThatThrownBy(() -> TextCipher.fromKeyFile(dir.resolve("missing.key")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot read");
    }

    @Test
    void should_read_rows_written_before_encryption_was_turned_on() {
        DurableVectorStore plain = open(dir, TextCipher.NONE);
        plain.upsert(doc("old", "Written before the key existed"));
        plain.close();
        opened.remove(plain);

        DurableVectorStore s = open(dir, TextCipher.fromKeyFile(keyFile("a")));
        s.upsert(doc("new", "Written under the key"));
        assertThat(keywordDocs(s, "written")).containsExactlyInAnyOrder("old", "new");
        assertThat(s.search(TestVectors.seeded("old/Written before the key existed", DIM), SearchRequest.topK(1)))
                .extracting(ChunkHit::text).containsExactly("Written before the key existed");
    }

    private DurableVectorStore open(Path directory, TextCipher cipher) {
        DurableVectorStore s = DurableVectorStore.open(StoreFixtures.config(directory, "Flat").textCipher(cipher).build(),
                TestIndexes.factory());
        opened.add(s);
        return s;
    }

    private Path keyFile(String name) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            Path file = dir.resolveSibling(dir.getFileName() + "-" + name + ".key");
            return Files.exists(file) ? file : Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static DocumentWrite doc(String docId, String text) {
        return new DocumentWrite(docId, "Notes " + docId, "file:///" + docId, "default", Map.of(), "h-" + text.hashCode(),
                "test-model", 1, List.of(new DocumentWrite.ChunkWrite(docId + "#0", text, TestVectors.seeded(docId + "/" + text, DIM))));
    }

    private static List<String> keywordDocs(DurableVectorStore s, String query) {
        return s.search(TestVectors.seeded(query, DIM), query, new SearchRequest(10, -1.0, SearchFilter.NONE),
                RankedHits.Wanted.KEYWORD).byKeyword().stream().map(ChunkHit::docId).toList();
    }

    /** The SQLite database and its WAL, byte for byte (the FAISS and Lucene files are not covered). */
    private static boolean sqliteBytesContain(Path directory, String needle) throws IOException {
        byte[] wanted = needle.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches(".*\\.(db|sqlite)(-wal|-journal)?$")).toList()) {
                if (indexOf(Files.readAllBytes(f), wanted) >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
