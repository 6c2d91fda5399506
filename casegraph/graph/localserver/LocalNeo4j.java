// The local Neo4j Community server that `casegraph db start` runs.
//
// Neo4j publishes no standalone server entry point on Maven Central for 5.26, so this
// starts the documented embedded database management service with the Bolt connector
// enabled, which is a full Neo4j server as far as any driver can tell.
// Launched as a single-file source program: java -cp 'lib/*' LocalNeo4j.java HOME PORT
// The password comes from the environment (CASEGRAPH_NEO4J_PASSWORD), never the command line.

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.graphdb.Transaction;
import org.neo4j.internal.kernel.api.CursorFactory;
import org.neo4j.internal.kernel.api.NodeCursor;
import org.neo4j.internal.kernel.api.PropertyCursor;
import org.neo4j.internal.kernel.api.Read;
import org.neo4j.internal.kernel.api.RelationshipScanCursor;
import org.neo4j.internal.kernel.api.TokenRead;
import org.neo4j.kernel.api.KernelTransaction;
import org.neo4j.kernel.impl.coreapi.InternalTransaction;
import org.neo4j.storageengine.api.PropertySelection;
import org.neo4j.token.api.TokenConstants;
import org.neo4j.values.storable.TextArray;
import org.neo4j.values.storable.TextValue;
import org.neo4j.values.storable.Value;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.api.procedure.GlobalProcedures;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;

public class LocalNeo4j {
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: LocalNeo4j HOME BOLT_PORT");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String password = System.getenv("CASEGRAPH_NEO4J_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("CASEGRAPH_NEO4J_PASSWORD must hold the password (8 characters or more)");
            System.exit(2);
        }
        Files.createDirectories(home);
        // A bulk load swaps the store folders (graph/bulk_store.py): SIGHUP closes the databases and
        // the process waits with no store open; the next SIGHUP opens the swapped store in this same
        // JVM, which skips the JVM's start and class loading that a stop and a `db start` would pay.
        LinkedBlockingQueue<String> signals = new LinkedBlockingQueue<>();
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> signals.add("hup"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (LOCK) {  // never while the main thread is opening or closing a store
                closing = true;
                if (current != null) {
                    current.shutdown();
                    current = null;
                }
            }
        }));
        while (true) {
            DatabaseManagementService dbms;
            synchronized (LOCK) {
                if (closing) {
                    return;
                }
                dbms = open(home, port, password);
                current = dbms;
            }
            System.out.println("casegraph-neo4j ready bolt://127.0.0.1:" + port);
            System.out.flush();
            if ("1".equals(System.getenv("CASEGRAPH_NEO4J_WARMUP"))) {  // settings.local_warmup, off by default
                warmUp((GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME));
            }
            signals.take();
            synchronized (LOCK) {
                if (current != null) {
                    current.shutdown();
                    current = null;
                }
            }
            System.out.println("casegraph-neo4j paused");
            System.out.flush();
            signals.take();
        }
    }

    private static final Object LOCK = new Object();
    private static DatabaseManagementService current;  // guarded by LOCK
    private static boolean closing;  // guarded by LOCK

    static DatabaseManagementService open(Path home, int port, String password) throws Exception {
        long pageCacheMb = Long.parseLong(System.getenv().getOrDefault("CASEGRAPH_NEO4J_PAGECACHE_MB", "512"));
        // Sized with the heap by casegraph (graph/memory.py); 0 keeps Neo4j's default.
        long txMaxMb = Long.parseLong(System.getenv().getOrDefault("CASEGRAPH_NEO4J_TX_MAX_MB", "0"));

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(5))
                // Bolt's own grace at shutdown (5 s each by default) came after the stores were closed,
                // with no connection left: it was a sixth of a bulk load's switch on `small`.
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size,
                        txMaxMb > 0 ? ByteUnit.mebiBytes(txMaxMb)
                                : GraphDatabaseSettings.memory_transaction_global_max_size.defaultValue())
                .build();
        // The projection procedure (see ProjectionStream below) is part of every local server.
        ((GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME)).getDependencyResolver()
                .resolveDependency(GlobalProcedures.class).registerProcedure(ProjectionStream.class);
        ((GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME)).getDependencyResolver()
                .resolveDependency(GlobalProcedures.class).registerProcedure(ProjectionNodes.class);

        // Embedded access bypasses authentication, so the password in the local settings file
        // is (re)applied at every start; the built-in user then needs no first-login change.
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (QueryExecutionException e) {
            // A restart of an existing store with an unchanged password: Neo4j refuses to set the same
            // one again, and the user already has it. Anything else is a real failure.
            if (e.getMessage() == null || !e.getMessage().contains("Old password and new password cannot be the same")) {
                throw e;
            }
        }
        return dbms;
    }

    /**
     * After a start, one pass of the projection's scan in the background: the first projection read
     * of a fresh server otherwise pays for the JIT compiling the scan (C1/C2 threads and interpreted
     * code, ~25 s of CPU on 1.66 M relationships) and for faulting the stores into the page cache.
     * It costs one scan of server CPU once (nothing on an empty store), while the server already
     * answers; CASEGRAPH_NEO4J_WARMUP=1 turns it on. Measured on the large corpus it took ~10 s off the
     * first read's ~35 s of server CPU (the rest is the Cypher entity statements and Bolt, which
     * this pass does not run) and cost more than that at start, hence off by default.
     */
    static void warmUp(GraphDatabaseAPI db) {
        Thread warm = new Thread(() -> {
            long started = System.nanoTime();
            long facts = 0;
            try (Transaction tx = db.beginTx()) {
                List<String> types = new ArrayList<>();
                tx.getAllRelationshipTypesInUse().forEach(type -> types.add(type.name()));
                ChunkIterator chunks = new ChunkIterator(tx, types, null, 16384);
                try {
                    while (chunks.hasNext()) {
                        facts += chunks.next().ends.length / 12;
                    }
                } finally {
                    chunks.close();
                }
            } catch (RuntimeException e) {
                // A warm-up is an optimisation: a server stopping meanwhile (or any failure) ends it.
                System.out.println("casegraph-neo4j warm-up stopped: " + e);
                return;
            }
            System.out.println("casegraph-neo4j warm-up: " + facts + " facts scanned in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms");
            System.out.flush();
        }, "casegraph-warmup");
        warm.setDaemon(true);
        warm.start();
    }

    /**
     * casegraph.projection.stream(types, visible, chunk): the facts ring detection projects, read
     * with the kernel API and sent as chunks of packed columns, so that Bolt and the Python client
     * handle a few large values per thousands of facts instead of several values per fact.
     *
     * Visibility is decided by the calling Cypher statement: it passes the keys of the documents the
     * caller may see (null for the local admin: every source as stored). A fact keeps only its
     * sources in that set and is left out when none is left, as in projection_rels.cypher.
     *
     * Each record is one chunk of facts of one type. Node keys and source lists are sent once per
     * call, as tables that grow chunk by chunk: `keys` and `sourceSets` hold the entries new in this
     * chunk, and `ends` refers to them by position in the whole call's tables (int32 little-endian
     * triples from, to, source set). Roles (none on TRANSFERRED chunks), transaction ids and memos
     * are per-fact strings ('' for none), sent as one string joined by NUL characters (one Bolt value
     * per chunk instead of one per fact: the per-fact values were ~11 % of the scan's CPU), or as a
     * list of strings when a value of the chunk itself holds a NUL; TRANSFERRED facts also carry `amounts` and `times` (float64
     * little-endian, NaN for none): `at` strings in the writers' ISO forms are turned into epoch seconds here (naive
     * meaning Beijing time); any other form is sent as text in `rawTimes`, with its fact's position
     * in `rawTimeIndex`, for the client to parse as it always has.
     */
    public static class ProjectionStream {
        @Context
        public Transaction tx;

        @Procedure(name = "casegraph.projection.stream", mode = Mode.READ)
        @Description("Projected facts of the given types, visible sources only, in packed chunks.")
        public Stream<Chunk> stream(@Name("types") List<String> types, @Name("visible") List<String> visible,
                                    @Name("chunk") Long chunk) {
            ChunkIterator chunks = new ChunkIterator(tx, types, visible == null ? null : new HashSet<>(visible),
                    (int) Math.max(1, Math.min(chunk == null ? 4096 : chunk, 1 << 20)));
            return StreamSupport.stream(Spliterators.spliteratorUnknownSize(chunks, Spliterator.ORDERED), false)
                    .onClose(chunks::close);
        }
    }

    /**
     * casegraph.projection.nodes(label, visible, chunk): the entities of one label with their
     * visible sources, as projection_nodes.cypher reads them (key, the first of name / number /
     * text, regions, the sources `visible` lets through; null `visible` for the local admin; an
     * entity without a visible source is left out), in packed chunks like the facts: keys and
     * names are NUL-joined strings (lists when a value holds a NUL, '' for none), regions and source
     * lists are tables sent once per call and referred to by int32 little-endian positions
     * (`regions`, `sets`), new entries in `regionSets` / `sourceSets` of the chunk that first
     * uses them. Cypher spent 6-10 us of server CPU per entity on this and the driver decoded
     * every source string of every entity; the kernel scan takes about a microsecond.
     */
    public static class ProjectionNodes {
        @Context
        public Transaction tx;

        @Procedure(name = "casegraph.projection.nodes", mode = Mode.READ)
        @Description("Entities of one label with their visible sources, in packed chunks.")
        public Stream<NodeChunk> nodes(@Name("label") String label, @Name("visible") List<String> visible,
                                       @Name("chunk") Long chunk) {
            NodeChunkIterator chunks = new NodeChunkIterator(tx, label, visible == null ? null : new HashSet<>(visible),
                    (int) Math.max(1, Math.min(chunk == null ? 4096 : chunk, 1 << 20)));
            return StreamSupport.stream(Spliterators.spliteratorUnknownSize(chunks, Spliterator.ORDERED), false)
                    .onClose(chunks::close);
        }
    }

    /** One record of casegraph.projection.nodes; fields documented there. */
    public static class NodeChunk {
        public Object keys;
        public Object names;
        public List<List<String>> regionSets;
        public byte[] regions;
        public List<List<String>> sourceSets;
        public byte[] sets;
    }

    static final class NodeChunkIterator implements Iterator<NodeChunk>, AutoCloseable {
        private final Set<String> visible;
        private final int chunkSize;
        private final NodeCursor nodes;
        private final PropertyCursor properties;
        private final int labelId;
        private final int keyKey;
        private final int nameKey;
        private final int numberKey;
        private final int textKey;
        private final int regionsKey;
        private final int sourcesKey;
        private final PropertySelection selection;
        private final Map<List<String>, Integer> regionIndex = new HashMap<>();
        private final Map<List<String>, Integer> setIndex = new HashMap<>();
        private boolean scanning;

        NodeChunkIterator(Transaction tx, String label, Set<String> visible, int chunkSize) {
            this.visible = visible;
            this.chunkSize = chunkSize;
            KernelTransaction ktx = ((InternalTransaction) tx).kernelTransaction();
            TokenRead tokens = ktx.tokenRead();
            labelId = label == null ? TokenConstants.NO_TOKEN : tokens.nodeLabel(label);
            keyKey = tokens.propertyKey("key");
            nameKey = tokens.propertyKey("name");
            numberKey = tokens.propertyKey("number");
            textKey = tokens.propertyKey("text");
            regionsKey = tokens.propertyKey("regions");
            sourcesKey = tokens.propertyKey("sources");
            selection = PropertySelection.selection(Arrays.stream(
                    new int[] {keyKey, nameKey, numberKey, textKey, regionsKey, sourcesKey})
                    .filter(key -> key != TokenConstants.NO_TOKEN).toArray());
            CursorFactory cursors = ktx.cursors();
            nodes = cursors.allocateNodeCursor(ktx.cursorContext(), ktx.memoryTracker());
            properties = cursors.allocatePropertyCursor(ktx.cursorContext(), ktx.memoryTracker());
            // No such label or no stored sources at all: no entity is visible.
            scanning = labelId != TokenConstants.NO_TOKEN && sourcesKey != TokenConstants.NO_TOKEN;
            if (scanning) {
                ktx.dataRead().allNodesScan(nodes);
            }
        }

        @Override
        public boolean hasNext() {
            return scanning;
        }

        @Override
        public NodeChunk next() {
            if (!scanning) {
                throw new NoSuchElementException();
            }
            List<String> keys = new ArrayList<>();
            List<String> names = new ArrayList<>();
            List<List<String>> newRegions = new ArrayList<>();
            List<List<String>> newSets = new ArrayList<>();
            ByteBuffer regionAt = ByteBuffer.allocate(4 * chunkSize).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer setAt = ByteBuffer.allocate(4 * chunkSize).order(ByteOrder.LITTLE_ENDIAN);
            while (keys.size() < chunkSize) {
                if (!nodes.next()) {
                    scanning = false;
                    break;
                }
                if (!nodes.hasLabel(labelId)) {
                    continue;
                }
                Object key = null;
                Object name = null;
                Object number = null;
                Object text = null;
                Object regions = null;
                Object sources = null;
                nodes.properties(properties, selection);
                while (properties.next()) {
                    int property = properties.propertyKey();
                    Value value = properties.propertyValue();
                    if (property == sourcesKey) {
                        sources = value;
                    } else if (property == regionsKey) {
                        regions = value;
                    } else if (property == keyKey) {
                        key = value.asObjectCopy();
                    } else if (property == nameKey) {
                        name = value.asObjectCopy();
                    } else if (property == numberKey) {
                        number = value.asObjectCopy();
                    } else if (property == textKey) {
                        text = value.asObjectCopy();
                    }
                }
                List<String> kept = ChunkIterator.keptSources(sources, visible);
                if (kept == null) {
                    continue;
                }
                keys.add(ChunkIterator.text(key));
                names.add(ChunkIterator.text(name != null ? name : number != null ? number : text));
                regionAt.putInt(ChunkIterator.position(regionIndex, texts(regions), newRegions));
                setAt.putInt(ChunkIterator.position(setIndex, kept, newSets));
            }
            NodeChunk chunk = new NodeChunk();
            chunk.keys = Builder.joined(keys);
            chunk.names = Builder.joined(names);
            chunk.regionSets = newRegions;
            chunk.regions = Arrays.copyOf(regionAt.array(), regionAt.position());
            chunk.sourceSets = newSets;
            chunk.sets = Arrays.copyOf(setAt.array(), setAt.position());
            return chunk;
        }

        /** A stored string list (or one string) as a list; empty for none. */
        private static List<String> texts(Object stored) {
            if (stored instanceof TextArray array) {
                List<String> values = new ArrayList<>(array.intSize());
                for (int i = 0; i < array.intSize(); i++) {
                    values.add(array.stringValue(i));
                }
                return values;
            }
            if (stored instanceof TextValue one) {
                return List.of(one.stringValue());
            }
            return List.of();
        }

        @Override
        public void close() {
            nodes.close();
            properties.close();
        }
    }

    /** One record of casegraph.projection.stream; fields documented there. */
    public static class Chunk {
        public String type;
        public List<String> keys;
        public List<List<String>> sourceSets;
        public byte[] ends;
        public Object roles;
        public byte[] amounts;
        public byte[] times;
        public Object txIds;
        public Object memos;
        public byte[] rawTimeIndex;
        public List<String> rawTimes;
    }

    static final class ChunkIterator implements Iterator<Chunk>, AutoCloseable {
        private static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);
        private final Set<String> visible;
        private final int chunkSize;
        // The kernel's cursors, not the Core API: one relationship-store scan for all the types, each
        // fact's properties in one pass, no entity objects (the Core API cost ~8 us per fact).
        private final Read read;
        private final RelationshipScanCursor scan;
        private final PropertyCursor properties;
        private final NodeCursor nodes;
        private final Map<Integer, Builder> builders = new HashMap<>();
        private final int sourcesKey;
        private final int roleKey;
        private final int amountKey;
        private final int atKey;
        private final int txIdKey;
        private final int memoKey;
        private final int nodeKeyKey;
        private final PropertySelection factSelection;
        private final PropertySelection nodeKeySelection;
        // The call's tables: node reference -> position in the keys sent so far; source list -> position.
        // Entries new since the last record go out with the next record, whatever its type.
        // Node references of the record store are dense ids, so positions live in an int array indexed
        // by reference (-1: not sent yet); a boxed HashMap lookup was 13 % of the scan's samples.
        // References beyond NODE_ARRAY_LIMIT (a store of hundreds of millions of nodes) use the map.
        private static final int NODE_ARRAY_LIMIT = 1 << 27;
        private int[] nodePositions = new int[0];
        private int nodeCount;
        private final Map<Long, Integer> farNodes = new HashMap<>();
        private final Map<List<String>, Integer> setIndex = new HashMap<>();
        private List<String> newKeys = new ArrayList<>();
        private List<List<String>> newSets = new ArrayList<>();
        private final ArrayDeque<Chunk> ready = new ArrayDeque<>();
        private boolean scanning;

        ChunkIterator(Transaction tx, List<String> types, Set<String> visible, int chunkSize) {
            this.visible = visible;
            this.chunkSize = chunkSize;
            KernelTransaction ktx = ((InternalTransaction) tx).kernelTransaction();
            TokenRead tokens = ktx.tokenRead();
            for (String type : types == null ? List.<String>of() : types) {
                int id = tokens.relationshipType(type);
                if (id != TokenConstants.NO_TOKEN) {
                    builders.put(id, new Builder(type, chunkSize));
                }
            }
            sourcesKey = tokens.propertyKey("sources");
            roleKey = tokens.propertyKey("role");
            amountKey = tokens.propertyKey("amount");
            atKey = tokens.propertyKey("at");
            txIdKey = tokens.propertyKey("tx_id");
            memoKey = tokens.propertyKey("memo");
            nodeKeyKey = tokens.propertyKey("key");
            factSelection = PropertySelection.selection(Arrays.stream(
                    new int[] {sourcesKey, roleKey, amountKey, atKey, txIdKey, memoKey})
                    .filter(key -> key != TokenConstants.NO_TOKEN).toArray());
            nodeKeySelection = PropertySelection.selection(nodeKeyKey);
            read = ktx.dataRead();
            CursorFactory cursors = ktx.cursors();
            scan = cursors.allocateRelationshipScanCursor(ktx.cursorContext(), ktx.memoryTracker());
            properties = cursors.allocatePropertyCursor(ktx.cursorContext(), ktx.memoryTracker());
            nodes = cursors.allocateNodeCursor(ktx.cursorContext(), ktx.memoryTracker());
            // No stored sources at all: nothing is visible, nothing to scan.
            scanning = !builders.isEmpty() && sourcesKey != TokenConstants.NO_TOKEN;
            if (scanning) {
                read.allRelationshipsScan(scan);
            }
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty() && scanning) {
                step();
            }
            return !ready.isEmpty();
        }

        @Override
        public Chunk next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }

        @Override
        public void close() {
            scan.close();
            properties.close();
            nodes.close();
        }

        /** One relationship of the scan; at the end, every partly filled chunk is ready. */
        private void step() {
            if (!scan.next()) {
                scanning = false;
                for (Builder builder : builders.values()) {
                    if (builder.count > 0) {
                        emit(builder);
                    }
                }
                return;
            }
            Builder builder = builders.get(scan.type());
            if (builder == null) {
                return;
            }
            Object sources = null;
            Object role = null;
            Object amount = null;
            Object at = null;
            Object txId = null;
            Object memo = null;
            scan.properties(properties, factSelection);
            while (properties.next()) {
                int key = properties.propertyKey();
                Value value = properties.propertyValue();
                if (key == sourcesKey) {
                    sources = value;
                } else if (key == roleKey) {
                    role = value.asObjectCopy();
                } else if (key == amountKey) {
                    amount = value.asObjectCopy();
                } else if (key == atKey) {
                    at = value.asObjectCopy();
                } else if (key == txIdKey) {
                    txId = value.asObjectCopy();
                } else if (key == memoKey) {
                    memo = value.asObjectCopy();
                }
            }
            List<String> kept = keptSources(sources, visible);
            if (kept == null) {
                return;
            }
            builder.ends.putInt(node(scan.sourceNodeReference()));
            builder.ends.putInt(node(scan.targetNodeReference()));
            builder.ends.putInt(position(setIndex, kept, newSets));
            if (builder.transfers) {
                builder.amounts.putDouble(amount(amount));
                double epoch = epoch(at);
                if (Double.isNaN(epoch) && at instanceof String raw) {
                    builder.rawIndex.putInt(builder.count);
                    builder.rawTimes.add(raw);
                }
                builder.times.putDouble(epoch);
                builder.txIds.add(text(txId));
                builder.memos.add(text(memo));
            } else {
                // Only the other types have roles: a transfer chunk sends none (one string per fact less).
                builder.roles.add(text(role));
            }
            if (++builder.count == chunkSize) {
                emit(builder);
            }
        }

        private void emit(Builder builder) {
            ready.add(builder.finish(newKeys, newSets));
            newKeys = new ArrayList<>();
            newSets = new ArrayList<>();
            builder.reset();
        }

        /** The stored sources (a string list, or one string) the caller may see, in stored order; null when none. */
        static List<String> keptSources(Object stored, Set<String> visible) {
            List<String> kept;
            if (stored instanceof TextArray array) {
                kept = new ArrayList<>(array.intSize());
                for (int i = 0; i < array.intSize(); i++) {
                    String source = array.stringValue(i);
                    if (visible == null || visible.contains(source)) {
                        kept.add(source);
                    }
                }
            } else if (stored instanceof TextValue one && (visible == null || visible.contains(one.stringValue()))) {
                kept = List.of(one.stringValue());
            } else {
                return null;
            }
            return kept.isEmpty() ? null : kept;
        }

        private int node(long reference) {
            int index;
            if (reference >= 0 && reference < NODE_ARRAY_LIMIT) {
                int at = (int) reference;
                if (at >= nodePositions.length) {
                    int grown = Math.min(NODE_ARRAY_LIMIT, Math.max(at + 1, Math.max(1024, nodePositions.length * 2)));
                    int old = nodePositions.length;
                    nodePositions = Arrays.copyOf(nodePositions, grown);
                    Arrays.fill(nodePositions, old, grown, -1);
                }
                int known = nodePositions[at];
                if (known >= 0) {
                    return known;
                }
                index = nodeCount++;
                nodePositions[at] = index;
            } else {
                Integer known = farNodes.get(reference);
                if (known != null) {
                    return known;
                }
                index = nodeCount++;
                farNodes.put(reference, index);
            }
            Object key = null;
            read.singleNode(reference, nodes);
            if (nodes.next() && nodeKeyKey != TokenConstants.NO_TOKEN) {
                nodes.properties(properties, nodeKeySelection);
                if (properties.next()) {
                    key = properties.propertyValue().asObjectCopy();
                }
            }
            newKeys.add(text(key));
            return index;
        }

        /** The entry's position in a table that grows chunk by chunk; a new entry is added to `added`
         *  (the entries the current chunk sends). */
        static int position(Map<List<String>, Integer> index, List<String> entry, List<List<String>> added) {
            Integer known = index.get(entry);
            if (known != null) {
                return known;
            }
            int at = index.size();
            index.put(entry, at);
            added.add(entry);
            return at;
        }

        static String text(Object value) {
            return value == null ? "" : value instanceof String s ? s : String.valueOf(value);
        }

        /** As Cypher's toFloat: a number, or a string that reads as one; NaN for none. */
        private static double amount(Object value) {
            if (value instanceof Number number) {
                return number.doubleValue();
            }
            if (value instanceof String text) {
                try {
                    return Double.parseDouble(text.trim());
                } catch (NumberFormatException e) {
                    return Double.NaN;
                }
            }
            return Double.NaN;
        }

        /**
         * Epoch seconds the way the Python client computes them (whole microseconds, naive meaning
         * Beijing time); NaN when absent or not one of the forms handled here.
         */
        private static double epoch(Object value) {
            if (value instanceof String text) {
                double quick = plainIso(text);
                if (!Double.isNaN(quick)) {
                    return quick;
                }
                try {
                    if (text.length() == 10) {
                        return seconds(LocalDate.parse(text).atStartOfDay().toInstant(BEIJING));
                    }
                    if (text.length() > 10 && text.charAt(10) == 'T') {
                        char last = text.charAt(text.length() - 1);
                        boolean zoned = last == 'Z' || text.indexOf('+', 11) > 0 || text.indexOf('-', 11) > 0;
                        return seconds(zoned ? OffsetDateTime.parse(text).toInstant()
                                : LocalDateTime.parse(text).toInstant(BEIJING));
                    }
                } catch (DateTimeParseException e) {
                    return Double.NaN;
                }
                return Double.NaN;
            }
            if (value instanceof ZonedDateTime moment) {
                return seconds(moment.toInstant());
            }
            if (value instanceof OffsetDateTime moment) {
                return seconds(moment.toInstant());
            }
            if (value instanceof LocalDateTime moment) {
                return seconds(moment.toInstant(BEIJING));
            }
            if (value instanceof LocalDate day) {
                return seconds(day.atStartOfDay().toInstant(BEIJING));
            }
            if (value instanceof Number number) {
                return number.doubleValue();
            }
            return Double.NaN;
        }

        /**
         * The writers' forms, read without java.time's formatter (the slow part of a read):
         * yyyy-MM-dd or yyyy-MM-ddTHH:mm:ss, optionally +HH:MM / -HH:MM / Z. NaN for anything else,
         * which then takes the general path; invalid dates fail LocalDate.of and come out NaN too.
         */
        private static double plainIso(String text) {
            int length = text.length();
            if (length != 10 && length != 19 && length != 20 && length != 25) {
                return Double.NaN;
            }
            if (text.charAt(4) != '-' || text.charAt(7) != '-') {
                return Double.NaN;
            }
            int year = digits(text, 0, 4);
            int month = digits(text, 5, 2);
            int day = digits(text, 8, 2);
            int hour = 0;
            int minute = 0;
            int second = 0;
            int offset = 8 * 3600;  // naive: Beijing time
            if (length > 10) {
                if (text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
                    return Double.NaN;
                }
                hour = digits(text, 11, 2);
                minute = digits(text, 14, 2);
                second = digits(text, 17, 2);
                if (length == 20) {
                    if (text.charAt(19) != 'Z') {
                        return Double.NaN;
                    }
                    offset = 0;
                } else if (length == 25) {
                    char sign = text.charAt(19);
                    int offsetHours = digits(text, 20, 2);
                    int offsetMinutes = digits(text, 23, 2);
                    if ((sign != '+' && sign != '-') || text.charAt(22) != ':' || offsetHours < 0 || offsetHours > 23
                            || offsetMinutes < 0 || offsetMinutes > 59) {
                        return Double.NaN;
                    }
                    offset = (sign == '+' ? 1 : -1) * (offsetHours * 3600 + offsetMinutes * 60);
                }
            }
            if (year < 1 || month < 1 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                    || second < 0 || second > 59) {
                return Double.NaN;
            }
            long epochDay;
            try {
                epochDay = LocalDate.of(year, month, day).toEpochDay();
            } catch (java.time.DateTimeException e) {
                return Double.NaN;
            }
            return (double) (epochDay * 86400L + hour * 3600L + minute * 60L + second - offset);
        }

        /** The decimal number of `count` ASCII digits at `start`; -1 when one is not a digit. */
        private static int digits(String text, int start, int count) {
            int value = 0;
            for (int i = start; i < start + count; i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                value = value * 10 + (c - '0');
            }
            return value;
        }

        private static double seconds(Instant moment) {
            // Python's timestamp(): whole microseconds over 10**6, one correctly rounded division.
            return (double) (moment.getEpochSecond() * 1_000_000L + moment.getNano() / 1_000) / 1e6;
        }
    }

    /** The chunk of one type being filled. */
    static final class Builder {
        final String type;
        final boolean transfers;
        final ByteBuffer ends;
        final ByteBuffer amounts;
        final ByteBuffer times;
        final ByteBuffer rawIndex;
        List<String> roles;
        List<String> txIds;
        List<String> memos;
        List<String> rawTimes;
        int count;

        Builder(String type, int chunkSize) {
            this.type = type;
            this.transfers = "TRANSFERRED".equals(type);
            ends = ByteBuffer.allocate(12 * chunkSize).order(ByteOrder.LITTLE_ENDIAN);
            amounts = ByteBuffer.allocate(transfers ? 8 * chunkSize : 0).order(ByteOrder.LITTLE_ENDIAN);
            times = ByteBuffer.allocate(transfers ? 8 * chunkSize : 0).order(ByteOrder.LITTLE_ENDIAN);
            rawIndex = ByteBuffer.allocate(transfers ? 4 * chunkSize : 0).order(ByteOrder.LITTLE_ENDIAN);
            reset();
        }

        void reset() {
            ends.clear();
            amounts.clear();
            times.clear();
            rawIndex.clear();
            roles = new ArrayList<>();
            txIds = new ArrayList<>();
            memos = new ArrayList<>();
            rawTimes = new ArrayList<>();
            count = 0;
        }

        Chunk finish(List<String> keys, List<List<String>> sourceSets) {
            Chunk chunk = new Chunk();
            chunk.type = type;
            chunk.keys = keys;
            chunk.sourceSets = sourceSets;
            chunk.ends = Arrays.copyOf(ends.array(), ends.position());
            chunk.roles = joined(roles);
            chunk.amounts = Arrays.copyOf(amounts.array(), amounts.position());
            chunk.times = Arrays.copyOf(times.array(), times.position());
            chunk.txIds = joined(txIds);
            chunk.memos = joined(memos);
            chunk.rawTimeIndex = Arrays.copyOf(rawIndex.array(), rawIndex.position());
            chunk.rawTimes = rawTimes;
            return chunk;
        }

        /** The strings joined by NUL (see ProjectionStream); the list itself when empty or when one holds a NUL. */
        static Object joined(List<String> texts) {
            if (texts.isEmpty()) {
                return texts;
            }
            for (String text : texts) {
                if (text.indexOf('\0') >= 0) {
                    return texts;
                }
            }
            return String.join("\0", texts);
        }
    }
}
