package io.edgerag.store.cloud;

import jakarta.inject.Qualifier;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link CloudVectorStore} adapter bean. The qualifier takes adapters out of {@code @Default},
 * so that injecting a plain {@code CloudVectorStore} gets the one {@link CloudVectorStoreProducer} selected
 * by name instead of an ambiguity.
 */
@Qualifier
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface CloudStoreAdapter {
}
