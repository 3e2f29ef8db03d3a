package dev.skiff.controllers.framework;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** Informer event handlers from lambdas. */
public final class Handlers {
  private Handlers() {}

  public static <T> ResourceEventHandler<T> of(
      Consumer<T> onAdd, BiConsumer<T, T> onUpdate, Consumer<T> onDelete) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        onAdd.accept(object);
      }

      @Override
      public void onUpdate(T oldObject, T newObject) {
        onUpdate.accept(oldObject, newObject);
      }

      @Override
      public void onDelete(T object, boolean deletedFinalStateUnknown) {
        onDelete.accept(object);
      }
    };
  }

  /** The same action on every add, update and delete. */
  public static <T> ResourceEventHandler<T> any(Consumer<T> action) {
    return of(action, (o, n) -> action.accept(n), action);
  }
}
