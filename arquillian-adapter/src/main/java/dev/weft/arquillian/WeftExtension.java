package dev.weft.arquillian;

import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.core.spi.LoadableExtension;

/** Registers the Weft container with Arquillian, through {@code META-INF/services}. */
public final class WeftExtension implements LoadableExtension {
    @Override
    public void register(ExtensionBuilder builder) {
        builder.service(DeployableContainer.class, WeftContainer.class);
    }
}
