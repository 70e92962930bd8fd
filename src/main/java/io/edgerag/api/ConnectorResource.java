package io.edgerag.api;

import io.edgerag.ingest.connector.ConnectorStatus;
import io.edgerag.ingest.connector.Connectors;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** {@code GET /api/connectors} (reader): each source connector with its state, last run and counts. */
@Path("/api/connectors")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectorResource {

    private final Connectors connectors;

    public ConnectorResource(Connectors connectors) {
        this.connectors = connectors;
    }

    @GET
    public List<ConnectorStatus> list() {
        return connectors.statuses();
    }
}
