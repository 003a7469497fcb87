package dev.floe.catalog.api;

import dev.floe.catalog.LakeCatalog;
import dev.floe.catalog.config.CatalogSettings;
import dev.floe.catalog.config.GcsSettings;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.CatalogHandlers;
import org.apache.iceberg.rest.Endpoint;
import org.apache.iceberg.rest.RESTCatalogProperties.SnapshotMode;
import org.apache.iceberg.rest.RESTUtil;
import org.apache.iceberg.rest.requests.CreateNamespaceRequest;
import org.apache.iceberg.rest.requests.CreateTableRequest;
import org.apache.iceberg.rest.requests.RegisterTableRequest;
import org.apache.iceberg.rest.requests.RenameTableRequest;
import org.apache.iceberg.rest.requests.ReportMetricsRequest;
import org.apache.iceberg.rest.requests.UpdateNamespacePropertiesRequest;
import org.apache.iceberg.rest.requests.UpdateTableRequest;
import org.apache.iceberg.rest.responses.ConfigResponse;

/**
 * The Iceberg REST catalog API (the spec's {@code /v1} routes, without a prefix) over the lake's
 * JDBC catalog. Each route only decodes the path and body and calls Iceberg's own server-side code
 * ({@link CatalogHandlers}), which does the catalog work, the commit checks and the validation.
 * Whether a caller may write is decided before a request gets here ({@link CatalogAccess}).
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class RestCatalogResource {

  /** The routes this service serves, announced in {@code /v1/config}. */
  static final List<Endpoint> ENDPOINTS =
      List.of(
          Endpoint.V1_LIST_NAMESPACES,
          Endpoint.V1_LOAD_NAMESPACE,
          Endpoint.V1_NAMESPACE_EXISTS,
          Endpoint.V1_CREATE_NAMESPACE,
          Endpoint.V1_UPDATE_NAMESPACE,
          Endpoint.V1_DELETE_NAMESPACE,
          Endpoint.V1_LIST_TABLES,
          Endpoint.V1_LOAD_TABLE,
          Endpoint.V1_TABLE_EXISTS,
          Endpoint.V1_CREATE_TABLE,
          Endpoint.V1_UPDATE_TABLE,
          Endpoint.V1_DELETE_TABLE,
          Endpoint.V1_RENAME_TABLE,
          Endpoint.V1_REGISTER_TABLE,
          Endpoint.V1_REPORT_METRICS,
          Endpoint.V1_LIST_VIEWS,
          Endpoint.V1_LOAD_VIEW,
          Endpoint.V1_VIEW_EXISTS);

  /**
   * How clients join the levels of a namespace in a path (the spec's default, the unit separator);
   * the lake's namespace has one level.
   */
  private static final String NAMESPACE_SEPARATOR = "%1F";

  private final LakeCatalog lake;
  private final CatalogSettings settings;
  private final GcsSettings gcs;

  public RestCatalogResource(LakeCatalog lake, CatalogSettings settings, GcsSettings gcs) {
    this.lake = lake;
    this.settings = settings;
    this.gcs = gcs;
  }

  @GET
  @Path("config")
  public Response config(@QueryParam("warehouse") String warehouse) {
    return IcebergJson.ok(
        ConfigResponse.builder()
            .withDefaults(clientDefaults(settings.warehouse(), gcs))
            .withEndpoints(ENDPOINTS)
            .build());
  }

  /**
   * What a client needs to open the warehouse's files itself. Local warehouse: nothing, the paths
   * in the metadata are the files. GCS: Iceberg's GCSFileIO keys for the project and any other
   * endpoint; the credential is the client's own (Application Default Credentials), never handed
   * out by the catalog.
   */
  static Map<String, String> clientDefaults(String warehouse, GcsSettings gcs) {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("warehouse", warehouse);
    if (warehouse.startsWith("gs://")) {
      gcs.projectId().ifPresent(p -> defaults.put("gcs.project-id", p));
      gcs.endpoint()
          .ifPresent(
              e -> {
                defaults.put("gcs.service.host", e);
                // an emulator takes no credentials
                defaults.put("gcs.no-auth", "true");
              });
    }
    return defaults;
  }

  // namespaces

  @GET
  @Path("namespaces")
  public Response listNamespaces(
      @QueryParam("parent") String parent,
      @QueryParam("pageToken") String pageToken,
      @QueryParam("pageSize") String pageSize) {
    Namespace ns = parent == null ? Namespace.empty() : RESTUtil.namespaceFromQueryParam(parent);
    return IcebergJson.ok(
        pageSize == null
            ? CatalogHandlers.listNamespaces(lake.get(), ns)
            : CatalogHandlers.listNamespaces(lake.get(), ns, pageToken, pageSize));
  }

  @POST
  @Path("namespaces")
  public Response createNamespace(String body) {
    return IcebergJson.ok(
        CatalogHandlers.createNamespace(
            lake.get(), IcebergJson.read(body, CreateNamespaceRequest.class)));
  }

  @GET
  @Path("namespaces/{namespace}")
  public Response loadNamespace(@Encoded @PathParam("namespace") String namespace) {
    return IcebergJson.ok(CatalogHandlers.loadNamespace(lake.get(), namespace(namespace)));
  }

  @HEAD
  @Path("namespaces/{namespace}")
  public Response namespaceExists(@Encoded @PathParam("namespace") String namespace) {
    CatalogHandlers.namespaceExists(lake.get(), namespace(namespace));
    return Response.noContent().build();
  }

  @DELETE
  @Path("namespaces/{namespace}")
  public Response dropNamespace(@Encoded @PathParam("namespace") String namespace) {
    CatalogHandlers.dropNamespace(lake.get(), namespace(namespace));
    return Response.noContent().build();
  }

  @POST
  @Path("namespaces/{namespace}/properties")
  public Response updateNamespace(@Encoded @PathParam("namespace") String namespace, String body) {
    return IcebergJson.ok(
        CatalogHandlers.updateNamespaceProperties(
            lake.get(),
            namespace(namespace),
            IcebergJson.read(body, UpdateNamespacePropertiesRequest.class)));
  }

  // tables

  @GET
  @Path("namespaces/{namespace}/tables")
  public Response listTables(
      @Encoded @PathParam("namespace") String namespace,
      @QueryParam("pageToken") String pageToken,
      @QueryParam("pageSize") String pageSize) {
    Namespace ns = namespace(namespace);
    return IcebergJson.ok(
        pageSize == null
            ? CatalogHandlers.listTables(lake.get(), ns)
            : CatalogHandlers.listTables(lake.get(), ns, pageToken, pageSize));
  }

  @POST
  @Path("namespaces/{namespace}/tables")
  public Response createTable(@Encoded @PathParam("namespace") String namespace, String body) {
    CreateTableRequest request = IcebergJson.read(body, CreateTableRequest.class);
    Namespace ns = namespace(namespace);
    return IcebergJson.ok(
        request.stageCreate()
            ? CatalogHandlers.stageTableCreate(lake.get(), ns, request)
            : CatalogHandlers.createTable(lake.get(), ns, request));
  }

  @POST
  @Path("namespaces/{namespace}/register")
  public Response registerTable(@Encoded @PathParam("namespace") String namespace, String body) {
    return IcebergJson.ok(
        CatalogHandlers.registerTable(
            lake.get(), namespace(namespace), IcebergJson.read(body, RegisterTableRequest.class)));
  }

  @GET
  @Path("namespaces/{namespace}/tables/{table}")
  public Response loadTable(
      @Encoded @PathParam("namespace") String namespace,
      @Encoded @PathParam("table") String table,
      @QueryParam("snapshots") @DefaultValue("all") String snapshots) {
    SnapshotMode mode =
        switch (snapshots) {
          case "all" -> SnapshotMode.ALL;
          case "refs" -> SnapshotMode.REFS;
          default ->
              throw new IllegalArgumentException(
                  "snapshots must be all or refs, got: " + snapshots);
        };
    return IcebergJson.ok(CatalogHandlers.loadTable(lake.get(), table(namespace, table), mode));
  }

  @HEAD
  @Path("namespaces/{namespace}/tables/{table}")
  public Response tableExists(
      @Encoded @PathParam("namespace") String namespace,
      @Encoded @PathParam("table") String table) {
    CatalogHandlers.tableExists(lake.get(), table(namespace, table));
    return Response.noContent().build();
  }

  @POST
  @Path("namespaces/{namespace}/tables/{table}")
  public Response updateTable(
      @Encoded @PathParam("namespace") String namespace,
      @Encoded @PathParam("table") String table,
      String body) {
    return IcebergJson.ok(
        CatalogHandlers.updateTable(
            lake.get(), table(namespace, table), IcebergJson.read(body, UpdateTableRequest.class)));
  }

  @DELETE
  @Path("namespaces/{namespace}/tables/{table}")
  public Response dropTable(
      @Encoded @PathParam("namespace") String namespace,
      @Encoded @PathParam("table") String table,
      @QueryParam("purgeRequested") @DefaultValue("false") boolean purge) {
    TableIdentifier ident = table(namespace, table);
    if (purge) {
      CatalogHandlers.purgeTable(lake.get(), ident);
    } else {
      CatalogHandlers.dropTable(lake.get(), ident);
    }
    return Response.noContent().build();
  }

  @POST
  @Path("namespaces/{namespace}/tables/{table}/metrics")
  public Response reportMetrics(
      @Encoded @PathParam("namespace") String namespace,
      @Encoded @PathParam("table") String table,
      String body) {
    // Clients report their scans after reading; the catalog has no use for them yet. The body is
    // still checked, so a malformed report is a 400 rather than silently taken.
    IcebergJson.read(body, ReportMetricsRequest.class);
    return Response.noContent().build();
  }

  @POST
  @Path("tables/rename")
  public Response renameTable(String body) {
    CatalogHandlers.renameTable(lake.get(), IcebergJson.read(body, RenameTableRequest.class));
    return Response.noContent().build();
  }

  // views (read only: the lake has none, but engines list them next to tables)

  @GET
  @Path("namespaces/{namespace}/views")
  public Response listViews(
      @Encoded @PathParam("namespace") String namespace,
      @QueryParam("pageToken") String pageToken,
      @QueryParam("pageSize") String pageSize) {
    Namespace ns = namespace(namespace);
    return IcebergJson.ok(
        pageSize == null
            ? CatalogHandlers.listViews(lake.get(), ns)
            : CatalogHandlers.listViews(lake.get(), ns, pageToken, pageSize));
  }

  @GET
  @Path("namespaces/{namespace}/views/{view}")
  public Response loadView(
      @Encoded @PathParam("namespace") String namespace, @Encoded @PathParam("view") String view) {
    return IcebergJson.ok(CatalogHandlers.loadView(lake.get(), table(namespace, view)));
  }

  @HEAD
  @Path("namespaces/{namespace}/views/{view}")
  public Response viewExists(
      @Encoded @PathParam("namespace") String namespace, @Encoded @PathParam("view") String view) {
    CatalogHandlers.viewExists(lake.get(), table(namespace, view));
    return Response.noContent().build();
  }

  private static Namespace namespace(String encoded) {
    return RESTUtil.decodeNamespace(encoded, NAMESPACE_SEPARATOR);
  }

  private static TableIdentifier table(String namespace, String table) {
    return TableIdentifier.of(namespace(namespace), RESTUtil.decodeString(table));
  }
}
