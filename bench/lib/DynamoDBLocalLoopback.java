// Starts DynamoDB Local listening on 127.0.0.1 only.
//
// DynamoDB Local has no option to choose the address it binds: its Jetty server listens on every
// interface. The benchmark must only ever be reachable on loopback, so this launcher builds the
// server from the usual command-line arguments, sets the host of each Jetty connector to
// 127.0.0.1 before the server starts, and then starts it. Run as a single-file source program:
//   java -cp DynamoDBLocal.jar -Djava.library.path=DynamoDBLocal_lib DynamoDBLocalLoopback.java \
//        -port 8000 -inMemory -disableTelemetry
import java.lang.reflect.Field;

public class DynamoDBLocalLoopback {
    private static final String LOOPBACK_HOST = "127.0.0.1";

    public static void main(String[] args) throws Exception {
        Object proxyServer = Class.forName("software.amazon.dynamodb.services.local.main.ServerRunner")
            .getMethod("createServerFromCommandLineArgs", String[].class)
            .invoke(null, (Object) args);
        Field serverField = proxyServer.getClass().getDeclaredField("server");
        serverField.setAccessible(true);
        Object jettyServer = serverField.get(proxyServer);
        Object[] connectors = (Object[]) jettyServer.getClass().getMethod("getConnectors").invoke(jettyServer);
        if (connectors.length == 0) {
            throw new IllegalStateException("DynamoDB Local created no connector to bind");
        }
        for (Object connector : connectors) {
            connector.getClass().getMethod("setHost", String.class).invoke(connector, LOOPBACK_HOST);
        }
        proxyServer.getClass().getMethod("start").invoke(proxyServer);
        System.out.println("DynamoDB Local listening on " + LOOPBACK_HOST);
    }
}
