package dev.weft.http;

/** Status codes and their reason phrases (RFC 9110 §15), as Go's {@code http.StatusText}. */
public final class Status {
    private Status() {}

    private static final String[] TEXT = new String[600];

    static {
        TEXT[100] = "Continue";
        TEXT[101] = "Switching Protocols";
        TEXT[102] = "Processing";
        TEXT[103] = "Early Hints";
        TEXT[200] = "OK";
        TEXT[201] = "Created";
        TEXT[202] = "Accepted";
        TEXT[203] = "Non-Authoritative Information";
        TEXT[204] = "No Content";
        TEXT[205] = "Reset Content";
        TEXT[206] = "Partial Content";
        TEXT[207] = "Multi-Status";
        TEXT[208] = "Already Reported";
        TEXT[226] = "IM Used";
        TEXT[300] = "Multiple Choices";
        TEXT[301] = "Moved Permanently";
        TEXT[302] = "Found";
        TEXT[303] = "See Other";
        TEXT[304] = "Not Modified";
        TEXT[305] = "Use Proxy";
        TEXT[307] = "Temporary Redirect";
        TEXT[308] = "Permanent Redirect";
        TEXT[400] = "Bad Request";
        TEXT[401] = "Unauthorized";
        TEXT[402] = "Payment Required";
        TEXT[403] = "Forbidden";
        TEXT[404] = "Not Found";
        TEXT[405] = "Method Not Allowed";
        TEXT[406] = "Not Acceptable";
        TEXT[407] = "Proxy Authentication Required";
        TEXT[408] = "Request Timeout";
        TEXT[409] = "Conflict";
        TEXT[410] = "Gone";
        TEXT[411] = "Length Required";
        TEXT[412] = "Precondition Failed";
        TEXT[413] = "Content Too Large";
        TEXT[414] = "URI Too Long";
        TEXT[415] = "Unsupported Media Type";
        TEXT[416] = "Range Not Satisfiable";
        TEXT[417] = "Expectation Failed";
        TEXT[418] = "I'm a teapot";
        TEXT[421] = "Misdirected Request";
        TEXT[422] = "Unprocessable Content";
        TEXT[423] = "Locked";
        TEXT[424] = "Failed Dependency";
        TEXT[425] = "Too Early";
        TEXT[426] = "Upgrade Required";
        TEXT[428] = "Precondition Required";
        TEXT[429] = "Too Many Requests";
        TEXT[431] = "Request Header Fields Too Large";
        TEXT[451] = "Unavailable For Legal Reasons";
        TEXT[500] = "Internal Server Error";
        TEXT[501] = "Not Implemented";
        TEXT[502] = "Bad Gateway";
        TEXT[503] = "Service Unavailable";
        TEXT[504] = "Gateway Timeout";
        TEXT[505] = "HTTP Version Not Supported";
        TEXT[506] = "Variant Also Negotiates";
        TEXT[507] = "Insufficient Storage";
        TEXT[508] = "Loop Detected";
        TEXT[510] = "Not Extended";
        TEXT[511] = "Network Authentication Required";
    }

    /** The reason phrase for {@code code}, or the empty string if it has none. */
    public static String text(int code) {
        String t = code >= 0 && code < TEXT.length ? TEXT[code] : null;
        return t == null ? "" : t;
    }

    /** Whether a response with this status may carry a body (RFC 9110 §6.4.1). */
    public static boolean bodyAllowed(int code) {
        return !(code >= 100 && code <= 199) && code != 204 && code != 304;
    }
}
