package io.edgerag.ingest.connector;

import io.edgerag.ingest.SourcePaths;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.AbbreviatedObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.util.io.DisabledOutputStream;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A branch of a Git repository: each run fetches the branch into a bare repository of its own, diffs the
 * tree of the last ingested commit against the branch head (renames detected) and applies every change
 * to an included file — add, modify, copy: upsert; delete: delete; rename: upsert the new path, delete the
 * old. The head becomes the last ingested commit only after all of its changes are in the store, so a run
 * cut short (crash, failed write) is redone whole by the next one, idempotently. The first run diffs
 * against the empty tree: the whole tree is ingested.
 */
public final class GitConnector implements SourceConnector {

    private static final Logger LOG = Logger.getLogger(GitConnector.class);
    private static final int FETCH_TIMEOUT_SECONDS = 120;

    @RegisterForReflection // Jackson reads and writes it in the state file, native image too
    record State(String lastCommit) {
    }

    private final ConnectorSettings settings;
    private final DocumentSink sink;
    private final ConnectorProgress progress;
    private final IncludeGlobs include;
    private final Path repositoryDir;
    private final StateFile<State> stateFile;

    public GitConnector(ConnectorSettings settings, DocumentSink sink, Path stateDir, ConnectorProgress progress) {
        this.settings = settings;
        this.sink = sink;
        this.progress = progress;
        this.include = new IncludeGlobs(settings.include());
        this.repositoryDir = stateDir.resolve("repository.git");
        this.stateFile = new StateFile<>(stateDir.resolve("git-state.json"), State.class);
        stateFile.read().map(State::lastCommit).ifPresent(progress::commitKnown);
    }

    @Override
    public ConnectorSettings settings() {
        return settings;
    }

    @Override
    public ConnectorProgress progress() {
        return progress;
    }

    /** The commit whose tree the store reflects; null before the first run finished. */
    public String lastIngestedCommit() {
        return stateFile.read().map(State::lastCommit).orElse(null);
    }

    @Override
    public RunReport sync() throws Exception {
        try (Repository repository = openOrCreate(); Git git = new Git(repository)) {
            String branchRef = Constants.R_HEADS + settings.branch();
            git.fetch().setRemote(settings.location()).setRefSpecs(new RefSpec("+" + branchRef + ":" + branchRef))
                    .setTimeout(FETCH_TIMEOUT_SECONDS).call();
            ObjectId head = repository.resolve(branchRef);
            if (head == null) {
                throw new IllegalStateException("branch '" + settings.branch() + "' not found in " + settings.location());
            }
            String last = lastIngestedCommit();
            if (head.name().equals(last)) {
                return new RunReport(settings.name(), 0, 0, 0, 0, 0, last);
            }
            RunCounts counts = applyRange(repository, last, head);
            stateFile.write(new State(head.name()));
            LOG.infof("connector %s: %s..%s applied (%s)", settings.name(),
                    last == null ? "empty tree" : last.substring(0, 12), head.name().substring(0, 12), counts.summary());
            return counts.report(settings.name(), -1, head.name());
        }
    }

    private Repository openOrCreate() throws IOException {
        Repository repository = new FileRepositoryBuilder().setGitDir(repositoryDir.toFile()).setBare().build();
        if (!repository.getObjectDatabase().exists()) {
            repository.create(true);
        }
        return repository;
    }

    private RunCounts applyRange(Repository repository, String last, ObjectId head) throws IOException {
        try (RevWalk walk = new RevWalk(repository);
             DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            diff.setRepository(repository);
            diff.setDetectRenames(true);
            RevTree to = walk.parseCommit(head).getTree();
            List<DiffEntry> changes = diff.scan(treeOf(walk, last), to);
            RunCounts counts = new RunCounts(progress);
            for (DiffEntry change : changes) {
                apply(repository, change, counts);
            }
            return counts;
        }
    }

    /** The tree of the last ingested commit; null (the empty tree: ingest everything) when history lost it. */
    private RevTree treeOf(RevWalk walk, String commit) throws IOException {
        if (commit == null) {
            return null;
        }
        try {
            return walk.parseCommit(ObjectId.fromString(commit)).getTree();
        } catch (MissingObjectException e) {
            LOG.warnf("connector %s: last ingested commit %s is gone (history rewritten?): ingesting the whole tree; "
                    + "documents of files deleted meanwhile stay until deleted by hand", settings.name(), commit);
            return null;
        }
    }

    private void apply(Repository repository, DiffEntry change, RunCounts counts) throws IOException {
        switch (change.getChangeType()) {
            case ADD, MODIFY, COPY -> put(repository, change.getNewPath(), change.getNewMode(), change.getNewId(), counts);
            case DELETE -> remove(change.getOldPath(), counts);
            case RENAME -> {
                put(repository, change.getNewPath(), change.getNewMode(), change.getNewId(), counts);
                boolean sameDocument = include.includes(change.getNewPath())
                        && SourcePaths.docId(change.getOldPath()).equals(SourcePaths.docId(change.getNewPath()));
                if (!sameDocument) {
                    remove(change.getOldPath(), counts);
                }
            }
        }
    }

    private void put(Repository repository, String path, FileMode mode, AbbreviatedObjectId blob, RunCounts counts)
            throws IOException {
        if (!include.includes(path)) {
            return;
        }
        if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
            remove(path, counts); // became a link or submodule: no longer a document
            return;
        }
        counts.seen();
        byte[] bytes = repository.open(blob.toObjectId(), Constants.OBJ_BLOB).getBytes();
        // a rejected file is counted and skipped: the commit that fixes it is a MODIFY and retries it
        counts.upsert(path, () -> sink.upsert(path, bytes));
    }

    private void remove(String path, RunCounts counts) {
        if (!include.includes(path)) {
            return;
        }
        counts.seen();
        counts.deleted(sink.delete(path));
    }
}
