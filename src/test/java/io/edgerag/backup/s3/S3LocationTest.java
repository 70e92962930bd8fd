package io.edgerag.backup.s3;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3LocationTest {

    @Test
    void should_split_an_address_into_bucket_prefix_and_backup_name() {
        S3Location.Backup b = S3Location.parseBackupUri("s3://edge-backups/site-a/edge-1/edgerag-20261125T220000000Z");
        assertThat(b.location()).isEqualTo(new S3Location("edge-backups", "site-a/edge-1"));
        assertThat(b.name()).isEqualTo("edgerag-20261125T220000000Z");
        assertThat(b.location().key(b.name(), "store/store.db"))
                .isEqualTo("site-a/edge-1/edgerag-20261125T220000000Z/store/store.db");
        assertThat(b).hasToString("s3://edge-backups/site-a/edge-1/edgerag-20261125T220000000Z");
    }

    @Test
    void should_read_a_backup_at_the_bucket_root_and_ignore_stray_slashes() {
        S3Location.Backup b = S3Location.parseBackupUri("s3://edge-backups/edgerag-1/");
        assertThat(b.location().prefix()).isEmpty();
        assertThat(b.location().key("edgerag-1", "manifest.json")).isEqualTo("edgerag-1/manifest.json");
        assertThat(new S3Location("b", "/nested/prefix/").rootPrefix()).isEqualTo("nested/prefix/");
    }

    @Test
    void should_refuse_an_address_without_a_backup_name_or_another_scheme() {
        assertThatThrownBy(() -> S3Location.parseBackupUri("s3://edge-backups")).hasMessageContaining("names no backup");
        assertThatThrownBy(() -> S3Location.parseBackupUri("s3://edge-backups/")).hasMessageContaining("names no backup");
        assertThatThrownBy(() -> S3Location.parseBackupUri("/backups/edgerag-1")).hasMessageContaining("not an s3://");
        assertThat(S3Location.isUri("/backups/edgerag-1")).isFalse();
    }
}
