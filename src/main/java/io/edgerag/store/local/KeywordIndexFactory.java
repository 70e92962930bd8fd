package io.edgerag.store.local;

import java.nio.file.Path;

/** Opens (creating when absent) the keyword index kept in {@code directory}. */
@FunctionalInterface
public interface KeywordIndexFactory {

    KeywordIndex open(Path directory);
}
