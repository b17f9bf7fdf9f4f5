// A Shelf webhook receiver in Java, standard library only.
//
// It verifies Shelf-Signature (HMAC-SHA256 of "t.body", MessageDigest.isEqual,
// 5-minute tolerance, the old and the new secret during a rotation), skips
// event ids it has already processed, and answers Shelf's self-test: 2xx to
// signed deliveries, 401 to forged or stale ones, 200 on GET (launch URL).
//
//   SHELF_WEBHOOK_SECRET=whsec_... java Receiver.java 127.0.0.1:9000
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class Receiver {
    static final long TOLERANCE = 300; // seconds a signature's timestamp may be from now
    static final List<String> SECRETS = new ArrayList<>();
    // Processed event ids: keep them in your database, with the effect.
    static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    static boolean verify(String header, byte[] body, long now) throws Exception {
        long ts = -1;
        List<byte[]> sigs = new ArrayList<>();
        for (String part : (header == null ? "" : header).split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) continue;
            if (kv[0].equals("t") && kv[1].matches("\\d+")) ts = Long.parseLong(kv[1]);
            else if (kv[0].equals("v1") && kv[1].matches("[0-9a-f]{64}")) sigs.add(HexFormat.of().parseHex(kv[1]));
        }
        if (ts < 0 || sigs.isEmpty() || Math.abs(now - ts) > TOLERANCE) return false;
        for (String secret : SECRETS) {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((ts + ".").getBytes(StandardCharsets.UTF_8));
            byte[] want = mac.doFinal(body);
            for (byte[] got : sigs) if (MessageDigest.isEqual(want, got)) return true;
        }
        return false;
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]*)").matcher(json);
        return m.find() ? m.group(1) : "";
    }

    static void answer(HttpExchange ex, int status, String text) throws IOException {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain");
        ex.sendResponseHeaders(status, data.length);
        ex.getResponseBody().write(data);
        ex.close();
    }

    public static void main(String[] args) throws Exception {
        for (String env : new String[] {"SHELF_WEBHOOK_SECRET", "SHELF_WEBHOOK_SECRET_OLD"}) {
            String s = System.getenv(env);
            if (s != null && !s.isEmpty()) SECRETS.add(s);
        }
        if (SECRETS.isEmpty()) {
            System.err.println("set SHELF_WEBHOOK_SECRET");
            System.exit(1);
        }
        String[] addr = (args.length > 0 ? args[0] : "127.0.0.1:9000").split(":");
        HttpServer server = HttpServer.create(new InetSocketAddress(addr[0], Integer.parseInt(addr[1])), 0);
        server.createContext("/", ex -> {
            try {
                if (ex.getRequestMethod().equals("GET")) { answer(ex, 200, "ok"); return; }
                byte[] body = ex.getRequestBody().readAllBytes();
                if (!verify(ex.getRequestHeaders().getFirst("Shelf-Signature"), body, System.currentTimeMillis() / 1000)) {
                    answer(ex, 401, "bad signature");
                    return;
                }
                String json = new String(body, StandardCharsets.UTF_8);
                String id = field(json, "id");
                if (!SEEN.add(id)) { answer(ex, 200, "already processed"); return; }
                System.out.println(field(json, "org_id") + " #" + field(json, "seq") + " " + field(json, "type") + " " + id);
                System.out.flush();
                answer(ex, 200, "ok");
            } catch (Exception e) {
                answer(ex, 500, "error");
            }
        });
        server.start();
        System.out.println("listening on http://" + addr[0] + ":" + addr[1]);
        System.out.flush();
    }
}
