// The local Neo4j Community server that `casegraph db start` runs.
//
// Neo4j publishes no standalone server entry point on Maven Central for 5.26, so this
// starts the documented embedded database management service with the Bolt connector
// enabled, which is a full Neo4j server as far as any driver can tell.
// Launched as a single-file source program: java -cp 'lib/*' LocalNeo4j.java HOME PORT
// The password comes from the environment (CASEGRAPH_NEO4J_PASSWORD), never the command line.

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

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
        long pageCacheMb = Long.parseLong(System.getenv().getOrDefault("CASEGRAPH_NEO4J_PAGECACHE_MB", "512"));

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(5))
                .build();

        // Embedded access bypasses authentication, so the password in the local settings file
        // is (re)applied at every start; the built-in user then needs no first-login change.
        dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            stopped.countDown();
        }));
        System.out.println("casegraph-neo4j ready bolt://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }
}
