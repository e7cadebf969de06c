package dev.vigil.drills.drill;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A drill's baseline load: one steady {@link DrillTraffic.SteadyLoad} per path of the mix, at the
 * drill's rate split by weight (paths whose share is below 0.1 requests/s get 0.1).
 */
public final class BaselineLoad implements AutoCloseable {

  private final List<DrillTraffic.SteadyLoad> loads = new ArrayList<>();

  /**
   * Starts the load.
   *
   * @param service the service's base URL (http or https)
   * @param load the drill's load section; a rate of 0 starts nothing
   */
  public BaselineLoad(URI service, Drill.Load load) {
    double total = load.mix().stream().mapToDouble(Drill.MixEntry::weight).sum();
    if (load.rate() <= 0 || total <= 0) {
      return;
    }
    for (Drill.MixEntry m : load.mix()) {
      if (m.weight() > 0) {
        loads.add(
            DrillTraffic.steady(
                service.resolve(m.path()),
                m.method(),
                m.body(),
                // its share of the rate; a floor of one request per 100 s keeps a tiny weight
                // sending something without outweighing it (0.1/s sold out the soak's products)
                Math.max(0.01, load.rate() * m.weight() / total)));
      }
    }
  }

  /**
   * Requests sent so far over every path.
   *
   * @return the count
   */
  public long sent() {
    return loads.stream().mapToLong(DrillTraffic.SteadyLoad::sent).sum();
  }

  /** Stops every path's load. */
  @Override
  public void close() {
    loads.forEach(DrillTraffic.SteadyLoad::close);
  }
}
