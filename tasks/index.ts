import "./gas";
import "./rehearse";
import "./tge";
