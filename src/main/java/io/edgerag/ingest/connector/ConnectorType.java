package io.edgerag.ingest.connector;

/** The kinds of source a connector reads; lower case as in the configuration. */
public enum ConnectorType { folder, git }
