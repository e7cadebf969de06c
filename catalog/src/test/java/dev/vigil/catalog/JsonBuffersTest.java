package dev.vigil.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import dev.vigil.telemetry.http.JsonBody;
import org.junit.jupiter.api.Test;

/**
 * Every request runs on a new virtual thread, so Jackson's default thread-local buffer recycler
 * would never be reused: the mapper behind request bodies and {@code ctx.json} recycles through a
 * shared pool.
 */
class JsonBuffersTest {

  @Test
  void responsesAndRequestBodiesShareOneMapperWhoseBuffersAreRecycledAcrossThreads() {
    assertThat(JsonBody.mapper().getFactory()._getRecyclerPool())
        .isInstanceOf(JsonRecyclerPools.ConcurrentDequePool.class);
    assertThat(JsonBody.javalinMapper().getMapper()).isSameAs(JsonBody.mapper());
  }
}
