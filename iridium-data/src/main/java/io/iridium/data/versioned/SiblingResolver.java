package io.iridium.data.versioned;

import java.util.List;

/**
 * The application's rule for merging concurrent values into one (Riak's "resolver"): for a
 * shopping cart, the union of the items; for a document, a three-way merge. It must not depend
 * on the order of the siblings if replicas may resolve the same conflict independently.
 */
@FunctionalInterface
public interface SiblingResolver {

    /** The canonical value for {@code siblings} (two or more). */
    String resolve(List<Sibling> siblings);
}
