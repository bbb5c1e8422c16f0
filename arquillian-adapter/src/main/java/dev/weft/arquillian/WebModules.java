package dev.weft.arquillian;

import dev.weft.deploy.Deployer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.ArchivePath;
import org.jboss.shrinkwrap.api.Filters;
import org.jboss.shrinkwrap.api.Node;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The web applications in an archive: a WAR is one; an EAR holds one per web module, each given
 * the EAR's {@code lib/} jars in its {@code WEB-INF/lib}, since Weft has no application of its own
 * above the web module to share them through.
 */
final class WebModules {
    private WebModules() {}

    /** A WAR to deploy, the file name it is exported as and its context path. */
    record Module(WebArchive war, String fileName, String contextPath) {}

    static List<Module> of(Archive<?> archive) throws DeploymentException {
        String name = archive.getName();
        String lower = name.toLowerCase(Locale.ROOT);
        if (archive instanceof WebArchive || (lower.endsWith(".war") && !(archive instanceof EnterpriseArchive))) {
            return List.of(module(archive.as(WebArchive.class), name));
        }
        if (archive instanceof EnterpriseArchive || lower.endsWith(".ear")) {
            return ofEar(archive.as(EnterpriseArchive.class));
        }
        throw new DeploymentException(name + " is not a web archive: Weft deploys WebArchives (.war), and the web"
                + " modules of an EnterpriseArchive (.ear)");
    }

    private static List<Module> ofEar(EnterpriseArchive ear) throws DeploymentException {
        Map<ArchivePath, Node> libs = ear.getContent(Filters.include("/lib/[^/]+\\.jar"));
        List<Module> modules = new ArrayList<>();
        for (ArchivePath path : ear.getContent(Filters.include("/[^/]+\\.war")).keySet()) {
            String warName = path.get().substring(1);
            WebArchive war = ShrinkWrap.create(WebArchive.class, warName).merge(ear.getAsType(WebArchive.class, path));
            for (Map.Entry<ArchivePath, Node> lib : libs.entrySet()) {
                String jar = lib.getKey().get().substring("/lib/".length());
                war.addAsLibrary(lib.getValue().getAsset(), jar);
            }
            modules.add(module(war, warName));
        }
        if (modules.isEmpty()) {
            throw new DeploymentException(ear.getName() + " holds no web module (.war at its top level)");
        }
        return modules;
    }

    /** The context path is the name less {@code .war}, as for a WAR file ({@code ROOT.war} at {@code /}). */
    private static Module module(WebArchive war, String name) throws DeploymentException {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new DeploymentException("\"" + name + "\" cannot name a WAR file: give the archive a plain file name");
        }
        String fileName = name.toLowerCase(Locale.ROOT).endsWith(".war") ? name : name + ".war";
        return new Module(war, fileName, Deployer.contextPathFor(Path.of(fileName)));
    }

    static void export(WebArchive war, Path file) {
        war.as(ZipExporter.class).exportTo(file.toFile(), true);
    }
}
