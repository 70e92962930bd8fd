package io.edgerag.ingest.connector;

/**
 * What one run of a connector did.
 *
 * @param seen      files it looked at: every included file (folder), every included change of the range (git)
 * @param unchanged files whose text the store already held (nothing embedded)
 * @param failures  documents it could not ingest (unparsable, no text); the run goes on without them
 * @param commit    the commit the store now reflects ({@code git}); null for folders
 */
public record RunReport(String connector, int seen, int upserts, int deletes, int unchanged, int failures,
                        String commit) {
}
