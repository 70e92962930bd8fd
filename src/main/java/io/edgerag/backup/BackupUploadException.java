package io.edgerag.backup;

/** A backup was written locally, but could not be uploaded to its bucket (answered 502: the object store failed). */
public class BackupUploadException extends RuntimeException {

    public BackupUploadException(String message, Throwable cause) {
        super(message, cause);
    }
}
