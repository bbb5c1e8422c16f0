package dev.weft.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.ext.DefaultHandler2;

/**
 * Reads a descriptor into a small element tree that keeps the line of every start tag. SAX rather
 * than DOM because DOM forgets line numbers; a tree rather than events because the descriptor
 * elements come in any order and are easier to read whole.
 *
 * <p>Nothing outside the document is ever read. The external DTD a 2.3 descriptor names is not
 * loaded (so DOCTYPE stays legal), external general and parameter entities are neither loaded nor
 * expanded (a reference to one is dropped, with a warning), and the JDK's secure-processing limits
 * are tightened so internal entities cannot blow up. DOCTYPE cannot simply be forbidden: every
 * Servlet 2.3 descriptor has one.
 */
final class DescriptorXml {
    /** Far more than any real descriptor uses (most use none), far less than an entity bomb needs. */
    private static final String ENTITY_EXPANSION_LIMIT = "2000";
    private static final String TOTAL_ENTITY_SIZE_LIMIT = "1000000";

    private DescriptorXml() {
    }

    /** One element: its namespace and local name, the line of its start tag, attributes, children, text. */
    static final class Element {
        final String namespace; // null when none
        final String name;
        final int line;
        final Map<String, String> attributes; // no-namespace attributes only, by local name
        final List<Element> children = new ArrayList<>();
        final StringBuilder text = new StringBuilder();

        Element(String namespace, String name, int line, Map<String, String> attributes) {
            this.namespace = namespace;
            this.name = name;
            this.line = line;
            this.attributes = attributes;
        }

        @Override
        public String toString() {
            return "<" + name + ">";
        }
    }

    /** A parsed document: the root element and the DOCTYPE public id (null when none). */
    record Document(Element root, String publicId) {
    }

    static Document read(InputStream in, String file, Consumer<String> warnings) throws DescriptorException {
        Handler handler = new Handler(file, warnings);
        try {
            XMLReader reader = newReader();
            reader.setContentHandler(handler);
            reader.setErrorHandler(handler);
            reader.setEntityResolver(handler);
            reader.setProperty("http://xml.org/sax/properties/lexical-handler", handler);
            reader.setProperty("http://xml.org/sax/properties/declaration-handler", handler);
            // No system id: there is no base for relative references to resolve against, by design.
            reader.parse(new InputSource(in));
        } catch (SAXParseException e) {
            throw new DescriptorException(new DescriptorSource(file, Math.max(0, e.getLineNumber())),
                    "malformed XML: " + e.getMessage(), e);
        } catch (SAXException e) {
            throw new DescriptorException(new DescriptorSource(file, handler.line()),
                    "malformed XML: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DescriptorException(new DescriptorSource(file, 0), "cannot read: " + e, e);
        }
        if (handler.root == null) {
            throw new DescriptorException(new DescriptorSource(file, 0), "no root element");
        }
        return new Document(handler.root, handler.publicId);
    }

    private static XMLReader newReader() throws SAXException {
        // The JDK's own parser, never one a web application's libraries put on the class path:
        // the features and limits below are known to work on it.
        SAXParserFactory factory = SAXParserFactory.newDefaultInstance();
        factory.setNamespaceAware(true);
        factory.setValidating(false);
        factory.setXIncludeAware(false);
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            SAXParser parser = factory.newSAXParser();
            parser.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            parser.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            // The legacy names: the jdk.xml.* ones are not accepted by every JDK 21 build.
            parser.setProperty("http://www.oracle.com/xml/jaxp/properties/entityExpansionLimit",
                    ENTITY_EXPANSION_LIMIT);
            parser.setProperty("http://www.oracle.com/xml/jaxp/properties/totalEntitySizeLimit",
                    TOTAL_ENTITY_SIZE_LIMIT);
            return parser.getXMLReader();
        } catch (ParserConfigurationException e) {
            throw new SAXException("the JDK's XML parser cannot be made safe: " + e.getMessage(), e);
        }
    }

    private static final class Handler extends DefaultHandler2 {
        private final String file;
        private final Consumer<String> warnings;
        private final Deque<Element> open = new ArrayDeque<>();
        private Locator locator;
        Element root;
        String publicId;

        Handler(String file, Consumer<String> warnings) {
            this.file = file;
            this.warnings = warnings;
        }

        int line() {
            return locator == null ? 0 : Math.max(0, locator.getLineNumber());
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
        }

        @Override
        public void startDTD(String name, String publicId, String systemId) {
            this.publicId = publicId;
        }

        @Override
        public void externalEntityDecl(String name, String publicId, String systemId) {
            warnings.accept(file + ":" + line() + ": external entity " + name + " (" + systemId
                    + ") is declared; it will not be read");
        }

        @Override
        public void skippedEntity(String name) {
            warnings.accept(file + ":" + line() + ": entity reference &" + name + "; is not expanded");
        }

        @Override
        public InputSource resolveEntity(String name, String publicId, String baseURI, String systemId) {
            // Not reached with the features above; if a parser ever asks anyway, it gets nothing.
            warnings.accept(file + ":" + line() + ": not reading external " + (name == null ? "entity" : name)
                    + " " + systemId);
            return new InputSource(new StringReader(""));
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) {
            Map<String, String> attributes = new HashMap<>();
            for (int i = 0; i < atts.getLength(); i++) {
                if (atts.getURI(i).isEmpty()) {
                    attributes.put(atts.getLocalName(i), atts.getValue(i));
                }
            }
            Element e = new Element(uri == null || uri.isEmpty() ? null : uri, localName, line(), attributes);
            if (open.isEmpty()) {
                root = e;
            } else {
                open.peek().children.add(e);
            }
            open.push(e);
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            open.pop();
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (!open.isEmpty()) {
                open.peek().text.append(ch, start, length);
            }
        }

        @Override
        public void warning(SAXParseException e) {
            warnings.accept(file + ":" + e.getLineNumber() + ": " + e.getMessage());
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    }
}
