package dev.weft.test.app;

import jakarta.servlet.http.HttpServlet;

/** Has no @WebServlet, so @WeftTest cannot tell where to map it. */
public class UnmappedServlet extends HttpServlet {}
