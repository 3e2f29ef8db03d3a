package dev.skiff.api.kinds.certificates;

import static dev.skiff.api.kinds.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateSigningRequestStrategyTest {

  private final CertificateSigningRequestStrategy strategy =
      new CertificateSigningRequestStrategy();

  @Test
  void conditionColumnFollowsKubectl() {
    assertEquals("Pending", CertificateSigningRequestStrategy.condition(obj("{}")));
    assertEquals(
        "Approved,Issued",
        CertificateSigningRequestStrategy.condition(
            obj("{'conditions':[{'type':'Approved','status':'True'}],'certificate':'LS0t'}")));
    assertEquals(
        "Denied",
        CertificateSigningRequestStrategy.condition(obj("{'conditions':[{'type':'Denied'}]}")));
  }

  @Test
  void rowAndImmutableSpec() {
    ObjectNode csr =
        obj(
            "{'metadata':{'name':'jane'},'spec':{'request':'LS0t','signerName':'kubernetes.io/kube-apiserver-client',"
                + "'username':'admin','expirationSeconds':86400}}");
    assertEquals(List.of(), strategy.validate(csr));
    List<Object> cells = strategy.tableCells(csr);
    assertEquals(
        List.of("kubernetes.io/kube-apiserver-client", "admin", "24h", "Pending"),
        cells.subList(2, 6));
    ObjectNode update = csr.deepCopy();
    ((ObjectNode) update.get("spec")).put("signerName", "other");
    assertEquals("field is immutable", strategy.validateUpdate(update, csr).getFirst().detail());
  }
}
