package dev.vigil.payments;

import dev.vigil.telemetry.TelemetryPlugin;
import java.io.IOException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The {@code payment_unreachable} fault at the connection: while it is on, every request except the
 * probes and {@code /metrics} has its connection closed without a byte of answer, as a provider
 * that accepts connections and then fails does (the caller sees "connection closed" or a reset,
 * never a status). Probes and {@code /metrics} still answer, so the fault itself stays visible.
 */
final class UnreachableProvider extends Handler.Wrapper {

  private final Faults faults;

  /**
   * @param faults the provider's faults
   */
  UnreachableProvider(Faults faults) {
    this.faults = faults;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!faults.unreachable()
        || TelemetryPlugin.UNTRACED_PATHS.contains(Request.getPathInContext(request))) {
      return super.handle(request, response, callback);
    }
    request.getConnectionMetaData().getConnection().getEndPoint().close();
    callback.failed(new IOException("injected fault payment_unreachable: connection closed"));
    return true;
  }
}
