package dev.weft.deploy;

import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.annotation.MultipartConfig;

/** A {@code @MultipartConfig} with the API's defaults: "", -1, -1, 0. */
public record MultipartConfigInfo(
        String className,
        ClassSource source,
        String location,
        long maxFileSize,
        long maxRequestSize,
        int fileSizeThreshold) {

    static final String TYPE = MultipartConfig.class.getName();

    /** What {@code ServletRegistration.Dynamic.setMultipartConfig} takes. */
    public MultipartConfigElement toElement() {
        return new MultipartConfigElement(location, maxFileSize, maxRequestSize, fileSizeThreshold);
    }

    static MultipartConfigInfo from(ClassInfo c, AnnotationInfo a) {
        return new MultipartConfigInfo(
                c.name(),
                c.source(),
                a.string("location", ""),
                a.longValue("maxFileSize", -1L),
                a.longValue("maxRequestSize", -1L),
                a.intValue("fileSizeThreshold", 0));
    }
}
