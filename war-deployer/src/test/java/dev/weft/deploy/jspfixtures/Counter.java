package dev.weft.deploy.jspfixtures;

/** A bean for {@code <jsp:useBean>} and {@code <jsp:setProperty>}. */
public class Counter {
    private int count;

    public int getCount() {
        return count;
    }

    public void setCount(int count) {
        this.count = count;
    }
}
